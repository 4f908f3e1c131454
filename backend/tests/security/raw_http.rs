//! HTTP/1.1 written by hand over TCP, for what an ordinary client will not send:
//! a `Host` of our choosing (or none), and a body that trickles in.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer read off the wire.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    /// Header names lower-cased, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawAnswer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

/// The port of a `TestApp` address such as `http://127.0.0.1:40123`.
pub fn port_of(address: &str) -> u16 {
    address
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .expect("an address ends with its port")
}

pub async fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("the server accepts a connection")
}

/// Sends `head` (the request line and headers, without the blank line) with
/// `Connection: close`, and reads the whole answer.
pub async fn exchange(port: u16, head: &str) -> RawAnswer {
    exchange_with_body(port, head, "").await
}

/// Like [`exchange`], with `body` after the head (`head` gives its length).
pub async fn exchange_with_body(port: u16, head: &str, body: &str) -> RawAnswer {
    let mut stream = connect(port).await;
    let request = format!("{head}\r\nConnection: close\r\n\r\n{body}");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.unwrap();
    parse(&bytes).unwrap_or_else(|| panic!("not an HTTP answer: {bytes:?}"))
}

/// What a client that trickles a body saw.
#[derive(Debug)]
pub enum Trickled {
    /// The server answered, then closed the connection.
    AnsweredAndClosed(RawAnswer),
    /// The server answered but kept the connection open.
    AnsweredAndKeptOpen(RawAnswer),
    /// Every byte went out, one at a time, and the server never answered.
    NeverAnswered { bytes_sent: usize },
}

/// Sends `head`, then `pieces` one every `pause`, reading all along. Stops at the
/// first answer and then waits `pause` more for the server to close.
pub async fn trickle(port: u16, head: &str, pieces: &[&[u8]], pause: Duration) -> Trickled {
    let mut stream = connect(port).await;
    stream
        .write_all(format!("{head}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    for (sent, piece) in pieces.iter().enumerate() {
        if stream.write_all(piece).await.is_err() {
            break;
        }
        let read = tokio::time::timeout(pause, stream.read(&mut buffer)).await;
        match read {
            Err(_) => continue,
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
        }
        if let Some(answer) = parse(&received) {
            return after_answer(&mut stream, answer, pause).await;
        }
        if sent + 1 == pieces.len() {
            break;
        }
    }
    match parse(&received) {
        Some(answer) => Trickled::AnsweredAndClosed(answer),
        None => Trickled::NeverAnswered {
            bytes_sent: pieces.iter().map(|p| p.len()).sum(),
        },
    }
}

/// Reads on after an answer, sending nothing: does the server close the connection?
/// (actix-http lingers up to a second before it closes.)
async fn after_answer(stream: &mut TcpStream, answer: RawAnswer, pause: Duration) -> Trickled {
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(pause * 2, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Trickled::AnsweredAndClosed(answer),
            Ok(Ok(_)) => continue,
            Err(_) => return Trickled::AnsweredAndKeptOpen(answer),
        }
    }
}

/// An answer whose head and `Content-Length` body are all in `bytes`.
fn parse(bytes: &[u8]) -> Option<RawAnswer> {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(body.len());
    if body.len() < length {
        return None;
    }
    Some(RawAnswer {
        status,
        headers,
        body: body[..length].to_string(),
    })
}
