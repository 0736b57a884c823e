//! Server-sent events (`text/event-stream`): the event a generated server writes and a generated
//! client reads, how it is written ([`encode`]), and how a stream of bytes is read back into
//! events ([`Decoder`]), as the WHATWG HTML standard's "event stream interpretation" says.
//!
//! The parser is ours (about a hundred lines) rather than a crate's: it works on bytes, so a
//! chunk boundary may split a line, a CRLF pair or a UTF-8 character anywhere; it keeps the
//! event's own `id` apart from the last event id, so that an [`Event`] round-trips; and it needs
//! nothing beyond `std` (see ARCHITECTURE.md, "The runtime").

use std::time::Duration;

/// One server-sent event: its `data` (of the type the spec gives the media type's schema), and
/// the optional `id`, `event` (type) and `retry` fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<T> {
    /// The `id` field of this event, if it has one (a client sends the last one it saw as
    /// `Last-Event-ID` when it reconnects).
    pub id: Option<String>,
    /// The `event` field: the event's type; `None` is the default type, `message`.
    pub event: Option<String>,
    /// The `retry` field: how long a client should wait before it reconnects.
    pub retry: Option<Duration>,
    /// The event's data.
    pub data: T,
}

impl<T> Event<T> {
    /// An event with only data.
    pub fn new(data: T) -> Event<T> {
        Event { id: None, event: None, retry: None, data }
    }

    /// With an `id`.
    pub fn id(mut self, id: impl Into<String>) -> Event<T> {
        self.id = Some(id.into());
        self
    }

    /// With an event type.
    pub fn event(mut self, event: impl Into<String>) -> Event<T> {
        self.event = Some(event.into());
        self
    }

    /// With a `retry` time.
    pub fn retry(mut self, retry: Duration) -> Event<T> {
        self.retry = Some(retry);
        self
    }

    /// The same event with other data.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Event<U> {
        Event { id: self.id, event: self.event, retry: self.retry, data: f(self.data) }
    }
}

/// The text of one event: its fields, then a `data:` line per line of `data` (split at CRLF, LF
/// and CR, so that a client reads the same text back), then the blank line that ends it. Line
/// breaks in `id` and `event` cannot be sent and are left out, as is a NUL in `id`.
pub fn encode(event: &Event<String>) -> String {
    let mut text = String::with_capacity(event.data.len() + 16);
    let single = |value: &str| value.chars().filter(|c| *c != '\r' && *c != '\n').collect::<String>();
    if let Some(id) = &event.id {
        text.push_str("id: ");
        text.push_str(&single(id).replace('\0', ""));
        text.push('\n');
    }
    if let Some(kind) = &event.event {
        text.push_str("event: ");
        text.push_str(&single(kind));
        text.push('\n');
    }
    if let Some(retry) = event.retry {
        text.push_str(&format!("retry: {}\n", retry.as_millis()));
    }
    for line in lines(&event.data) {
        text.push_str("data: ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    text
}

/// A comment line (`: text`), which clients ignore: a keep-alive, or a note in place of an event
/// that could not be written.
pub fn comment(text: &str) -> String {
    let mut out = String::new();
    for line in lines(text) {
        out.push_str(": ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// `text` split at CRLF, LF and CR (one empty line for empty text).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\r', '\n']) {
            Some(at) => {
                let skip = if current[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&current[at + skip..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Reads an event stream chunk by chunk into events (with their data as text).
///
/// Lines end at CRLF, LF or CR, wherever the chunks split; a leading byte order mark is
/// skipped; comment lines (`:` first) and unknown fields are ignored; `data` lines join with
/// `\n`; an event is dispatched at a blank line, unless it has no `data` (its `retry` then goes
/// with the next event); what is left at the end of the stream is dropped, as browsers do.
#[derive(Debug, Default)]
pub struct Decoder {
    line: Vec<u8>,
    after_cr: bool,
    started: bool,
    data: Option<String>,
    id: Option<String>,
    event: Option<String>,
    retry: Option<Duration>,
    last_id: Option<String>,
}

impl Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// The last event id the stream set (the `Last-Event-ID` to reconnect with).
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref().filter(|id| !id.is_empty())
    }

    /// Reads a chunk, appending the events it completes to `events`.
    pub fn feed(&mut self, chunk: &[u8], events: &mut Vec<Event<String>>) {
        let mut chunk = chunk;
        if !self.started {
            // The byte order mark may itself be split; wait for three bytes before deciding.
            self.line.extend_from_slice(chunk);
            if self.line.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.line) {
                return;
            }
            self.started = true;
            let pending = std::mem::take(&mut self.line);
            let pending = pending.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&pending).to_vec();
            self.feed(&pending, events);
            return;
        }
        if self.after_cr && !chunk.is_empty() {
            self.after_cr = false;
            if let Some(rest) = chunk.strip_prefix(b"\n") {
                chunk = rest;
            }
        }
        while let Some(at) = chunk.iter().position(|b| *b == b'\r' || *b == b'\n') {
            self.line.extend_from_slice(&chunk[..at]);
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, events);
            if chunk[at] == b'\r' {
                match chunk.get(at + 1) {
                    Some(b'\n') => chunk = &chunk[at + 2..],
                    Some(_) => chunk = &chunk[at + 1..],
                    None => {
                        self.after_cr = true;
                        chunk = &[];
                    }
                }
            } else {
                chunk = &chunk[at + 1..];
            }
        }
        self.line.extend_from_slice(chunk);
    }

    fn line_done(&mut self, line: &[u8], events: &mut Vec<Event<String>>) {
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line[0] == b':' {
            return;
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "event" => self.event = Some(value.to_string()),
            "id" if !value.contains('\0') => {
                self.id = Some(value.to_string());
                self.last_id = Some(value.to_string());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, events: &mut Vec<Event<String>>) {
        let id = self.id.take();
        let event = self.event.take().filter(|kind| !kind.is_empty());
        let Some(data) = self.data.take() else { return };
        events.push(Event { id, event, retry: self.retry.take(), data });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_chunks(chunks: &[&[u8]]) -> Vec<Event<String>> {
        let mut decoder = Decoder::new();
        let mut events = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk, &mut events);
        }
        events
    }

    /// Every way of cutting `text` in two gives the same events as the whole.
    fn every_split(text: &[u8]) -> Vec<Event<String>> {
        let whole = decode_chunks(&[text]);
        for at in 0..=text.len() {
            assert_eq!(decode_chunks(&[&text[..at], &text[at..]]), whole, "split at {at}");
        }
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(decode_chunks(&bytes), whole, "byte by byte");
        whole
    }

    #[test]
    fn fields_and_multi_line_data() {
        let events = every_split(b"id: 7\nevent: delta\nretry: 1500\ndata: first\ndata: second\n\ndata:x\n\n");
        assert_eq!(
            events,
            vec![
                Event::new("first\nsecond".to_string()).id("7").event("delta").retry(Duration::from_millis(1500)),
                Event::new("x".to_string()),
            ]
        );
    }

    #[test]
    fn crlf_and_cr_line_endings_even_split() {
        let events = every_split(b"data: a\r\ndata: b\r\r\ndata: c\r\revent: e\rdata\r\r");
        assert_eq!(
            events,
            vec![
                Event::new("a\nb".to_string()),
                Event::new("c".to_string()),
                Event { event: Some("e".into()), ..Event::new(String::new()) },
            ]
        );
    }

    #[test]
    fn comments_unknown_fields_and_bad_retry_are_ignored() {
        let events = every_split(b": keep-alive\n\nfoo: bar\nretry: 12x\ndata: only\n:note\n\n");
        assert_eq!(events, vec![Event::new("only".to_string())]);
    }

    #[test]
    fn a_block_without_data_is_not_an_event_but_its_retry_carries_over() {
        let mut decoder = Decoder::new();
        let mut events = Vec::new();
        decoder.feed(b"retry: 30\nid: 1\n\ndata: x\n\n", &mut events);
        assert_eq!(events, vec![Event::new("x".to_string()).retry(Duration::from_millis(30))]);
        assert_eq!(decoder.last_event_id(), Some("1"));
    }

    #[test]
    fn byte_order_mark_utf8_split_and_unfinished_event() {
        let text = "\u{feff}data: h\u{e9}llo \u{1f600}\n\ndata: never finished\n";
        let events = every_split(text.as_bytes());
        assert_eq!(events, vec![Event::new("h\u{e9}llo \u{1f600}".to_string())]);
        // Only the first byte order mark is skipped.
        let events = decode_chunks(&[b"\xEF\xBB", b"\xBFdata: 1\n\n"]);
        assert_eq!(events, vec![Event::new("1".to_string())]);
    }

    #[test]
    fn field_without_colon_and_value_without_space() {
        let events = every_split(b"data\ndata:  two spaces\n\n");
        assert_eq!(events, vec![Event::new("\n two spaces".to_string())]);
    }

    #[test]
    fn encode_round_trips() {
        let cases = [
            Event::new("one line".to_string()),
            Event::new("a\nb\r\nc\rd".to_string()).id("42").event("update").retry(Duration::from_secs(2)),
            Event::new(String::new()),
            Event::new("\n".to_string()),
            Event::new("trailing\n".to_string()).event("x"),
        ];
        for event in cases {
            let text = encode(&event);
            let decoded = every_split(text.as_bytes());
            let expected = event.clone().map(|data| data.replace("\r\n", "\n").replace('\r', "\n"));
            assert_eq!(decoded, vec![expected], "{text:?}");
        }
        assert_eq!(encode(&Event::new("x".to_string()).id("a\nb").event("c\r\nd")), "id: ab\nevent: cd\ndata: x\n\n");
        assert_eq!(comment("ping"), ": ping\n\n");
        assert!(decode_chunks(&[comment("a\nb").as_bytes()]).is_empty());
    }
}
