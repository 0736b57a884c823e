//! A large YAML document read in two halves on two threads.
//!
//! libyaml reads one character at a time, so the YAML parse of a multi-megabyte spec is the
//! longest step before the generator's threads can start (asana.yaml, 3 MB: 84 ms of 380), and
//! the second core is idle meanwhile. Most specs are a block mapping whose largest entry
//! (`paths` or `components`) is itself a block mapping, one entry per line at one indentation:
//! such a document is cut before a line that opens an entry, near the middle, each half is read
//! on its own, and the two mappings are joined.
//!
//! The cut is only taken where it cannot change what is read; anything else reads the whole
//! text as one (the caller's fallback), which is also how every error is reported, with its
//! line and column in the whole text:
//!
//! - no document markers (`---`, `...`), directives (`%`) or merge keys (`<<`) anywhere;
//! - every line that starts in column 0 is a comment or a `key:` entry of the top mapping;
//! - a cut line has exactly the indentation of its mapping's first entry and opens an entry
//!   (`key:`): a block scalar's lines are indented deeper, a plain scalar's continuation too,
//!   and a cut inside a quoted scalar or a flow collection leaves the first half unterminated;
//! - both halves read, with no key in both (a duplicate, or an alias into the other half,
//!   fails here and is reported by the whole read).

use crate::error::Diagnostic;
use serde_json::{Map, Value};

/// YAML text from this size on is read in two halves where it can be.
pub(super) const PARALLEL_BYTES: usize = 256 * 1024;

/// Where the text is cut: the byte offset of the line that begins the second half, and the
/// top-level key whose mapping the cut falls in (`None`: between two top-level entries).
#[derive(Debug, PartialEq, Eq)]
struct Cut<'t> {
    at: usize,
    section: Option<&'t str>,
}

/// The document read in two halves by `read` on two threads, or `None` when it cannot be cut
/// (see the module docs), a half does not read, or no thread could be started.
pub(super) fn read_in_halves(text: &str, read: impl Fn(&str) -> Result<Value, Diagnostic> + Sync) -> Option<Value> {
    let cut = cut(text)?;
    let (first, rest) = text.split_at(cut.at);
    let second = match cut.section {
        Some(section) => format!("{section}:\n{rest}"),
        None => rest.to_string(),
    };
    let (first, second) = std::thread::scope(|scope| {
        let thread = std::thread::Builder::new().stack_size(crate::GENERATOR_STACK).spawn_scoped(scope, || read(first)).ok()?;
        let second = read(&second);
        Some((thread.join().ok()?, second))
    })?;
    join(first.ok()?, second.ok()?, cut.section)
}

/// The two halves' mappings as one: the second half's part of the cut section continues the
/// first's, its other entries follow.
fn join(first: Value, second: Value, section: Option<&str>) -> Option<Value> {
    let (Value::Object(mut first), Value::Object(second)) = (first, second) else { return None };
    let mut second = second.into_iter();
    if let Some(section) = section {
        let (key, Value::Object(continued)) = second.next()? else { return None };
        let Some(Value::Object(entries)) = first.get_mut(section) else { return None };
        if key != section {
            return None;
        }
        extend_new(entries, continued)?;
    }
    extend_new(&mut first, second.collect())?;
    Some(Value::Object(first))
}

/// Appends `more` to `map`; `None` should a key be in both.
fn extend_new(map: &mut Map<String, Value>, more: Map<String, Value>) -> Option<()> {
    for (key, value) in more {
        if map.contains_key(&key) {
            return None;
        }
        map.insert(key, value);
    }
    Some(())
}

/// Where to cut `text`, or `None` when it cannot be cut safely.
fn cut<'t>(text: &'t str) -> Option<Cut<'t>> {
    if text.contains("<<") {
        return None;
    }
    // Each line's byte offset and text (without its line break).
    let mut lines: Vec<(usize, &'t str)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, line.trim_end_matches(['\n', '\r'])));
        offset += line.len();
    }
    // The top-level entries: the index of each one's line.
    let mut top = Vec::new();
    for (index, (_, line)) in lines.iter().enumerate() {
        let Some(first) = line.chars().next() else { continue };
        // An indented line, a comment, or an entry of a top-level sequence written in column 0
        // (`tags:` then `- name: a`).
        if first == ' ' || first == '#' || *line == "-" || line.starts_with("- ") {
            continue;
        }
        if line.starts_with("---") || line.starts_with("...") || first == '%' || entry_key(line).is_none() {
            return None;
        }
        top.push(index);
    }
    let middle = text.len() / 2;
    let mut best: Option<Cut<'t>> = None;
    let mut consider = |candidate: Cut<'t>| {
        let distance = |cut: &Cut<'_>| cut.at.abs_diff(middle);
        if best.as_ref().is_none_or(|known| distance(&candidate) < distance(known)) {
            best = Some(candidate);
        }
    };
    for (position, &index) in top.iter().enumerate() {
        if position > 0 {
            consider(Cut { at: lines[index].0, section: None });
        }
        // The entries of this section's mapping: the lines at the indentation of its first one.
        let end = top.get(position + 1).copied().unwrap_or(lines.len());
        let body = &lines[index + 1..end];
        let mut entries = body.iter().filter(|(_, line)| !line.trim_start().is_empty() && !line.trim_start().starts_with('#'));
        let Some((_, first_entry)) = entries.next() else { continue };
        let indent = first_entry.len() - first_entry.trim_start_matches(' ').len();
        if indent == 0 || entry_key(&first_entry[indent..]).is_none() {
            continue;
        }
        let section = entry_key(lines[index].1)?;
        for &(at, line) in entries {
            let text = line.trim_start_matches(' ');
            if line.len() - text.len() == indent && entry_key(text).is_some() {
                consider(Cut { at, section: Some(section) });
            }
        }
    }
    best
}

/// The key of a line that opens a mapping entry (`key:` or `key: value`, the key plain or
/// quoted, the line starting with it), or `None`.
fn entry_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    let end = match first {
        '"' | '\'' => {
            // A quoted key without escapes or doubled quotes: anything else is not cut at.
            let close = line[1..].find(first)? + 1;
            let key = &line[1..close];
            if key.contains('\\') || line[close + 1..].starts_with(first) {
                return None;
            }
            close + 1
        }
        // What cannot start a plain scalar, or starts something else (a sequence entry, a
        // complex key, an anchor, an alias, a tag, a block scalar, a flow collection, a comment).
        '-' | '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' | ' ' | '\t' => {
            return None;
        }
        _ => line.find(": ").or_else(|| line.strip_suffix(':').map(str::len))?,
    };
    let after = &line[end..];
    (after == ":" || after.starts_with(": ")).then_some(&line[..end])
}

#[cfg(test)]
mod tests {
    use super::{cut, entry_key, read_in_halves, Cut};
    use serde_json::Value;

    fn read(text: &str) -> Result<Value, crate::error::Diagnostic> {
        super::super::parse_yaml_whole(text)
    }

    #[test]
    fn entry_lines_are_told_from_the_rest() {
        assert_eq!(entry_key("paths:"), Some("paths"));
        assert_eq!(entry_key("/a/{id}: # note"), Some("/a/{id}"));
        assert_eq!(entry_key("title: a: b"), Some("title"));
        assert_eq!(entry_key("\"/a: b\":"), Some("\"/a: b\""));
        assert_eq!(entry_key("'x':"), Some("'x'"));
        for line in ["- a", "? a", "&a b:", "*a:", "[a]:", "{a: 1}", "\"a\\\"b\":", "'a''b':", "a", "a:b", "# c:", "|"] {
            assert_eq!(entry_key(line), None, "{line}");
        }
    }

    #[test]
    fn the_cut_opens_an_entry_near_the_middle() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get: {}\n  /b:\n    get: {}\n  /c:\n    get: {}\ncomponents: {}\n";
        let at = text.find("  /b:").unwrap_or_default();
        assert_eq!(cut(text), Some(Cut { at, section: Some("paths") }));
    }

    #[test]
    fn documents_that_could_read_otherwise_are_not_cut() {
        for text in [
            "---\na: 1\nb:\n  c: 1\n  d: 2\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: &x\n  c: 1\nb:\n  <<: *x\n  d: 2\n",
            "- a\n- b\n",
            "a: 1\nplain continued\nb: 2\n",
        ] {
            assert_eq!(cut(text), None, "{text}");
        }
        // A sequence written in column 0 is no cut, and no reason not to cut elsewhere.
        let text = "tags:\n- name: a\n- name: b\n- name: c\npaths:\n  /a: 1\n  /b: 2\n";
        let at = text.find("paths:").unwrap_or_default();
        assert_eq!(cut(text), Some(Cut { at, section: None }));
    }

    #[test]
    fn halves_read_as_the_whole_and_anything_doubtful_falls_back() {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
        for index in 0..200 {
            text.push_str(&format!("  /p{index}:\n    get:\n      description: |\n        line\n          /x:\n        end\n"));
        }
        text.push_str("components:\n  schemas:\n    A: {type: string}\n");
        let whole = read(&text).ok();
        assert!(whole.is_some());
        assert_eq!(read_in_halves(&text, read), whole);
        // A key in both halves, and an alias into the first half: the whole read decides.
        let doubled = text.replace("  /p150:", "  /p10:");
        assert_eq!(read_in_halves(&doubled, read), None);
        let aliased = text.replace("  /p10:\n    get:", "  /p10: &ten\n    get:").replace("  /p150:\n    get:\n", "  /p150: *ten\n  /p150b:\n    get:\n");
        assert!(read(&aliased).is_ok());
        assert_eq!(read_in_halves(&aliased, read), None);
        // Scalars and collections across lines that look like entries: read as the whole is, or
        // not at all.
        for index in [96, 98, 99, 100, 101, 102, 104] {
            for (from, to) in [
                ("    get:\n", "    summary: \"open\n  /q: closed\"\n    get:\n"),
                ("    get:\n", "    tags: [a,\n  /q: b]\n    get:\n"),
                ("    get:\n", "    x: {a: 1,\n  /q: 2}\n    get:\n"),
                ("    get:\n", "    summary: 'open\n  /q: closed'\n    get:\n"),
            ] {
                let varied = text.replacen(&format!("  /p{index}:\n{from}"), &format!("  /p{index}:\n{to}"), 1);
                if let Some(value) = read_in_halves(&varied, read) {
                    assert_eq!(Some(value), read(&varied).ok(), "{index} {to}");
                }
            }
        }
    }
}
