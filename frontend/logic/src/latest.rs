//! Which answer is the newest, when the same document is read more than once.
//!
//! The lab reads a document (the policy, say) and may read it again before the
//! first answer arrives. Answers can arrive in any order. Each read takes a
//! ticket, and only the answer to the newest ticket is kept. An answer to an
//! older read is stale: it is dropped, so it never hides a newer one.

/// The number of one read. A higher number is a later read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ticket(u64);

/// Hands out tickets and remembers the newest.
#[derive(Debug, Default)]
pub struct Latest {
    newest: u64,
}

impl Latest {
    /// A ticket for a new read. It makes every earlier ticket stale.
    pub fn start(&mut self) -> Ticket {
        self.newest += 1;
        Ticket(self.newest)
    }

    /// Whether the answer to `ticket` should be kept: no later read has started.
    pub fn is_newest(&self, ticket: Ticket) -> bool {
        ticket.0 == self.newest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_answer_to_the_newest_read_is_kept() {
        let mut latest = Latest::default();
        let first = latest.start();
        assert!(latest.is_newest(first), "a lone read is the newest");
        let second = latest.start();
        // (ticket, kept?, why)
        let cases = [
            (first, false, "the first answer arrives late: it is stale"),
            (second, true, "the answer to the newest read is kept"),
        ];
        for (ticket, kept, why) in cases {
            assert_eq!(latest.is_newest(ticket), kept, "{why}");
        }
    }

    #[test]
    fn a_newer_read_makes_a_kept_answer_stale_again() {
        let mut latest = Latest::default();
        let first = latest.start();
        assert!(latest.is_newest(first), "kept before the next read");
        latest.start();
        assert!(!latest.is_newest(first), "stale once a newer read starts");
    }
}
