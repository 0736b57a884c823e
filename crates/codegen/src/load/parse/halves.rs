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
//! - no document markers (`---`, `...`), directives (`%`), merge keys (`<<`), anchors (`&a`),
//!   or line breaks other than `\n` and `\r\n` anywhere;
//! - every line that starts in column 0 is a comment, a `key:` entry of the top mapping or an
//!   entry of a top-level sequence;
//! - a cut inside a section: the section's key line has no value (its mapping is a block on the
//!   lines below), and the cut line has exactly the indentation of the section's first entry
//!   and opens an entry (`key:`), as every line at that indentation in the section does;
//! - both halves read, each has exactly the top-level keys (and the cut section exactly the
//!   entry keys) that the lines say, and no key is in both. libyaml lets a quoted scalar or a
//!   flow collection go on in column 0 or at an entry's indentation, so a line that looks like
//!   an entry may be text; the halves then read other keys than the lines say.

use crate::error::Diagnostic;
use serde_json::{Map, Value};

/// YAML text from this size on is read in two halves where it can be.
pub(super) const PARALLEL_BYTES: usize = 256 * 1024;

/// Where the text is cut, and the keys each half must read as.
#[derive(Debug, PartialEq, Eq)]
struct Cut<'t> {
    /// The byte offset of the line that begins the second half.
    at: usize,
    /// The top-level key whose mapping the cut falls in, as written (`None`: between two
    /// top-level entries).
    section: Option<&'t str>,
    /// The top-level keys of the first half and of the second, as the lines say.
    top: [Vec<&'t str>; 2],
    /// The keys of the cut section's entries before and after the cut, as the lines say.
    entries: [Vec<&'t str>; 2],
}

/// The document read in two halves by `read` on two threads, or `None` when it cannot be cut
/// (see the module docs), a half does not read, or the halves do not read as the lines say.
pub(super) fn read_in_halves(text: &str, read: impl Fn(&str) -> Result<Value, Diagnostic> + Sync) -> Option<Value> {
    let cut = cut(text)?;
    let (first, rest) = text.split_at(cut.at);
    let second = match cut.section {
        Some(section) => format!("{section}:\n{rest}"),
        None => rest.to_string(),
    };
    let (first, second) = crate::threads::both(true, || read(first), || read(&second));
    join(first.ok()?, second.ok()?, &cut)
}

/// The two halves' mappings as one: the second half's part of the cut section continues the
/// first's, its other entries follow. `None` unless each half has exactly the keys its lines
/// say (a line taken for an entry may be the continuation of a quoted scalar that libyaml
/// lets start in column 0), or should a key be in both.
fn join(first: Value, second: Value, cut: &Cut<'_>) -> Option<Value> {
    let (Value::Object(mut first), Value::Object(second)) = (first, second) else { return None };
    let keys = |map: &Map<String, Value>, expected: &[&str]| map.keys().map(String::as_str).eq(expected.iter().map(|key| unquoted(key)));
    let mut second = second.into_iter();
    if let Some(section) = cut.section {
        let (key, Value::Object(continued)) = second.next()? else { return None };
        let Some(Value::Object(entries)) = first.get_mut(unquoted(section)) else { return None };
        if key != unquoted(section) || !keys(entries, &cut.entries[0]) || !keys(&continued, &cut.entries[1]) {
            return None;
        }
        extend_new(entries, continued)?;
    }
    let second: Map<String, Value> = second.collect();
    let after_section = &cut.top[1][usize::from(cut.section.is_some())..];
    if !keys(&first, &cut.top[0]) || !keys(&second, after_section) {
        return None;
    }
    extend_new(&mut first, second)?;
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

/// A key as [`entry_key`] gives it, without its quotes (it has no escapes).
fn unquoted(key: &str) -> &str {
    match key.chars().next() {
        Some(quote @ ('"' | '\'')) => key.strip_prefix(quote).and_then(|key| key.strip_suffix(quote)).unwrap_or(key),
        _ => key,
    }
}

/// Whether the text has what a line-by-line look cannot follow: a line break other than `\n`
/// and `\r\n` (libyaml also breaks lines at a lone `\r`, U+0085, U+2028 and U+2029), a merge
/// key, or an anchor (`&name` where a node may start; serde_yaml numbers anchors as it meets
/// them, so a name defined twice can resolve differently in a half, and the two halves
/// together would be allowed more alias expansions than the whole).
fn unfollowable(text: &str) -> bool {
    let bytes = text.as_bytes();
    let lone_return = text.match_indices('\r').any(|(at, _)| bytes.get(at + 1) != Some(&b'\n'));
    let anchor = text.match_indices('&').any(|(at, _)| {
        let before = at.checked_sub(1).and_then(|before| bytes.get(before)).copied().unwrap_or(b'\n');
        let after = bytes.get(at + 1).copied().unwrap_or(b' ');
        matches!(before, b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',')
            && !matches!(after, b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}')
    });
    lone_return || anchor || text.contains("<<") || text.contains(['\u{85}', '\u{2028}', '\u{2029}'])
}

/// Where to cut `text`, or `None` when it cannot be cut safely.
fn cut<'t>(text: &'t str) -> Option<Cut<'t>> {
    if unfollowable(text) {
        return None;
    }
    // Each line's byte offset and text (without its line break).
    let mut lines: Vec<(usize, &'t str)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, line.trim_end_matches(['\n', '\r'])));
        offset += line.len();
    }
    // The top-level entries: each one's line index and key.
    let mut top: Vec<(usize, &'t str)> = Vec::new();
    for (index, (_, line)) in lines.iter().enumerate() {
        let Some(first) = line.chars().next() else { continue };
        // An indented line, a comment, or an entry of a top-level sequence written in column 0
        // (`tags:` then `- name: a`).
        if first == ' ' || first == '#' || *line == "-" || line.starts_with("- ") {
            continue;
        }
        if line.starts_with("---") || line.starts_with("...") || first == '%' {
            return None;
        }
        top.push((index, entry_key(line)?));
    }
    // The candidates: each top-level entry but the first, and each entry but the first of a
    // section whose value is a block mapping (its key line has no value), with the section's
    // index in `top` and the section's entries (line offset and key).
    let middle = text.len() / 2;
    let mut best: Option<(usize, Option<usize>)> = None;
    let mut section_entries: Vec<Vec<(usize, &'t str)>> = vec![Vec::new(); top.len()];
    let mut consider = |at: usize, section: Option<usize>| {
        if best.is_none_or(|(known, _)| at.abs_diff(middle) < known.abs_diff(middle)) {
            best = Some((at, section));
        }
    };
    for (position, &(index, key)) in top.iter().enumerate() {
        if position > 0 {
            consider(lines[index].0, None);
        }
        let value = lines[index].1[key.len()..].trim_start_matches(':').trim();
        if !(value.is_empty() || value.starts_with('#')) {
            continue;
        }
        // The entries of this section's mapping: the lines at the indentation of its first one.
        let end = top.get(position + 1).map_or(lines.len(), |&(next, _)| next);
        let mut body = lines[index + 1..end].iter().filter(|(_, line)| !line.trim_start().is_empty() && !line.trim_start().starts_with('#'));
        let Some(&(first_at, first_entry)) = body.next() else { continue };
        let indent = first_entry.len() - first_entry.trim_start_matches(' ').len();
        let Some(first_key) = entry_key(&first_entry[indent..]).filter(|_| indent > 0) else { continue };
        let entries = &mut section_entries[position];
        entries.push((first_at, first_key));
        for &(at, line) in body {
            let text = line.trim_start_matches(' ');
            if line.len() - text.len() != indent {
                continue;
            }
            // A line at the entries' indentation that opens no entry: a section this look
            // cannot follow.
            let Some(key) = entry_key(text) else {
                entries.clear();
                break;
            };
            entries.push((at, key));
        }
        for &(at, _) in entries.iter().skip(1) {
            consider(at, Some(position));
        }
    }
    let (at, section) = best?;
    let before = |offset: usize| offset < at;
    let split = |list: &[(usize, &'t str)]| -> [Vec<&'t str>; 2] {
        let keys = |first: bool| list.iter().filter(|&&(offset, _)| before(offset) == first).map(|&(_, key)| key).collect();
        [keys(true), keys(false)]
    };
    let top_offsets: Vec<(usize, &'t str)> = top.iter().map(|&(index, key)| (lines[index].0, key)).collect();
    let mut top_keys = split(&top_offsets);
    let entries = match section {
        Some(position) => {
            // The second half begins with the section again.
            top_keys[1].insert(0, top[position].1);
            split(&section_entries[position])
        }
        None => [Vec::new(), Vec::new()],
    };
    Some(Cut { at, section: section.map(|position| top[position].1), top: top_keys, entries })
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
    use super::{cut, entry_key, read_in_halves};
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
        let found = cut(text);
        assert_eq!(found.as_ref().map(|cut| (cut.at, cut.section)), Some((at, Some("paths"))));
        let found = found.map(|cut| (cut.top, cut.entries));
        let top = [vec!["openapi", "paths"], vec!["paths", "components"]];
        assert_eq!(found, Some((top, [vec!["/a"], vec!["/b", "/c"]])));
    }

    #[test]
    fn documents_that_could_read_otherwise_are_not_cut() {
        for text in [
            "---\na: 1\nb:\n  c: 1\n  d: 2\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: &x\n  c: 1\nb:\n  <<: *x\n  d: 2\n",
            "- a\n- b\n",
            "a: 1\nplain continued\nb: 2\n",
            "a:\n  k: 1\rb:\n  c: 1\n  d: 2\n",
            "a:\n  k: 1\u{2028}b:\n  c: 1\n  d: 2\n",
            "a:\n  k: &x 1\nb:\n  c: *x\n  d: 2\n",
        ] {
            assert_eq!(cut(text), None, "{text}");
        }
        // A sequence written in column 0 is no cut, and no reason not to cut elsewhere.
        let text = "tags:\n- name: a\n- name: b\n- name: c\npaths:\n  /a: 1\n  /b: 2\n";
        let at = text.find("paths:").unwrap_or_default();
        assert_eq!(cut(text).map(|cut| (cut.at, cut.section)), Some((at, None)));
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

    /// `count` entries `  mI: v` after `head`.
    fn padded(head: &str, count: usize) -> String {
        let mut text = String::from(head);
        for index in 0..count {
            text.push_str(&format!("  m{index}: value number {index}\n"));
        }
        text
    }

    #[test]
    fn lines_that_only_look_like_entries_are_found_out() {
        // libyaml lets a quoted scalar go on in column 0: `b:` there is text, not a key.
        for quote in ["\"", "'"] {
            let text = padded(&format!("b:\n  k: 1\na:\n  q: {quote}foo\nb:\n  z: 1{quote}\n"), 6000);
            let whole = read(&text).ok();
            assert!(whole.is_some());
            assert_eq!(read_in_halves(&text, read).or(whole.clone()), whole, "{quote}");
        }
        // A flow mapping on a section's line, with entry-like lines after it: not cut there.
        let mut text = String::from("a: {x: 1,\n  f0: v, f1: v}\n  b: 1\nz: '");
        text.push_str(&"x".repeat(200));
        text.push_str("'\n");
        assert!(read(&text).is_err());
        assert_eq!(read_in_halves(&text, read), None);
    }
}
