//! A tiny HTTP server for the engine-facts tests (`tests/engine_facts.rs`). It
//! listens on two free ports of `localhost`. The page loads from one port, the
//! calls go to the other. A different port is a different origin, so every call
//! is cross-origin. Both ports are on the same host, so they are the same site,
//! and a cookie is never a "third-party" one.
//!
//! The server answers each call with the headers its path asks for (see
//! [`answer`]), and records every request it received, preflights included.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request, as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names in lower case, values as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    /// The value of the header `name`, if the request carried it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether this is a CORS preflight: an `OPTIONS` that names a method.
    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS" && self.header("access-control-request-method").is_some()
    }
}

/// The running server: its two origins and what it received so far.
pub struct FactServer {
    /// Where the page comes from, e.g. `http://localhost:40001`.
    pub page_origin: String,
    /// Where the calls go, e.g. `http://localhost:40002`.
    pub api_origin: String,
    received: Arc<Mutex<Vec<Received>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl FactServer {
    /// Starts both listeners on free ports.
    pub async fn start() -> FactServer {
        let received = Arc::new(Mutex::new(Vec::new()));
        let mut origins = Vec::new();
        let mut tasks = Vec::new();
        for _ in 0..2 {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
            let port = listener.local_addr().unwrap().port();
            origins.push(format!("http://localhost:{port}"));
            let received = received.clone();
            tasks.push(tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, received.clone()));
                }
            }));
        }
        FactServer {
            page_origin: origins.remove(0),
            api_origin: origins.remove(0),
            received,
            tasks,
        }
    }

    /// The requests whose path starts with `path`, in the order they came.
    pub fn received(&self, path: &str) -> Vec<Received> {
        let all = self.received.lock().unwrap();
        all.iter()
            .filter(|r| r.path.starts_with(path))
            .cloned()
            .collect()
    }

    /// How many preflights came for paths that start with `path`.
    pub fn preflights(&self, path: &str) -> usize {
        self.received(path)
            .iter()
            .filter(|r| r.is_preflight())
            .count()
    }
}

impl Drop for FactServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// The headers of the answer to `request`, chosen by words in its path:
///
/// - `/page`: a blank HTML page, the page the tests run their scripts in.
/// - `/wildcard…`: `Access-Control-Allow-Origin: *` and `Allow-Headers: *`, no
///   credentials.
/// - anything else: the caller's exact origin, `Allow-Credentials: true`, the
///   header `X-Fact` allowed by name, and `Max-Age: 600` (ten minutes).
/// - `…set-cookie…` also sets the cookie `fact=1; SameSite=None; Secure`.
fn answer(request: &Received) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    let mut add = |name: &str, value: &str| headers.push((name.to_string(), value.to_string()));
    if request.path.starts_with("/page") {
        add("Content-Type", "text/html");
        return headers;
    }
    add("Content-Type", "text/plain");
    if request.path.starts_with("/wildcard") {
        add("Access-Control-Allow-Origin", "*");
        add("Access-Control-Allow-Headers", "*");
        add("Access-Control-Allow-Methods", "*");
    } else {
        let origin = request.header("origin").unwrap_or("null");
        add("Access-Control-Allow-Origin", origin);
        add("Access-Control-Allow-Credentials", "true");
        add("Access-Control-Allow-Headers", "X-Fact, Content-Type");
        add("Access-Control-Allow-Methods", "GET, POST");
        add("Access-Control-Max-Age", "600");
        add("Vary", "Origin");
    }
    if request.path.contains("set-cookie") {
        add("Set-Cookie", "fact=1; SameSite=None; Secure; Path=/");
    }
    headers
}

async fn serve(mut stream: TcpStream, received: Arc<Mutex<Vec<Received>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let body: &[u8] = if request.path.starts_with("/page") {
        b"<!doctype html><title>engine facts</title><p>engine facts</p>"
    } else {
        b"ok"
    };
    let status = if request.method == "OPTIONS" {
        "204 No Content"
    } else {
        "200 OK"
    };
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in answer(&request) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let length = if request.method == "OPTIONS" {
        0
    } else {
        body.len()
    };
    head.push_str(&format!(
        "Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ));
    received.lock().unwrap().push(request.clone());
    let _ = stream.write_all(head.as_bytes()).await;
    if request.method != "OPTIONS" {
        let _ = stream.write_all(body).await;
    }
    let _ = stream.shutdown().await;
}

/// Reads one request: the head, then a body by `Content-Length`, or chunks until
/// the last one. Gives up after five seconds of silence.
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut bytes = Vec::new();
    let head_end = loop {
        if let Some(end) = find(&bytes, b"\r\n\r\n") {
            break end;
        }
        read_more(stream, &mut bytes).await?;
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_string();
    let path = start.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut request = Received {
        method,
        path,
        headers,
        body: Vec::new(),
    };
    let mut body = bytes[head_end + 4..].to_vec();
    if let Some(length) = request.header("content-length") {
        let length: usize = length.parse().ok()?;
        while body.len() < length {
            read_more(stream, &mut body).await?;
        }
        body.truncate(length);
    } else if request.header("transfer-encoding").is_some() {
        while find(&body, b"0\r\n\r\n").is_none() {
            read_more(stream, &mut body).await?;
        }
    }
    request.body = body;
    Some(request)
}

async fn read_more(stream: &mut TcpStream, bytes: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
        .await
        .ok()?
        .ok()?;
    if read == 0 {
        return None;
    }
    bytes.extend_from_slice(&chunk[..read]);
    Some(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
