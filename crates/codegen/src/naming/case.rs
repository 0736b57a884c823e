//! `snake_case` and `UpperCamelCase` of the ASCII names [`super::asciify`] leaves, split into
//! words exactly as heck 0.5 splits them. heck writes every character through `fmt` (a
//! `to_lowercase` iterator, a `write!`), which was a quarter of lowering a large spec; on ASCII
//! its rules are a few byte tests. The tests check the two against heck on every kind of
//! boundary and on random names.

/// The case of the last cased character of the word being read.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// No cased character since the word began.
    Boundary,
    Lower,
    Upper,
}

/// Calls `word` with each word of `name` (ASCII), in order. Words are separated by anything that
/// is not a letter or a digit, before an uppercase letter that follows a lowercase one (the
/// letters and digits since the last cased one count as that case: `a1B` is `a1`, `B`), and
/// before the last letter of an uppercase run that a lowercase letter follows (`HTTPServer` is
/// `HTTP`, `Server`).
fn each_word(name: &str, mut word: impl FnMut(&str)) {
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = part.as_bytes();
        let mut start = 0;
        let mut mode = Mode::Boundary;
        for (index, &byte) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(index + 1) else {
                word(&part[start..]);
                break;
            };
            let next_mode = if byte.is_ascii_lowercase() {
                Mode::Lower
            } else if byte.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                word(&part[start..=index]);
                start = index + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Upper && byte.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&part[start..index]);
                start = index;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
}

/// `snake_case`: the words in lowercase, joined by `_`.
pub(super) fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    each_word(name, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.bytes().map(|byte| char::from(byte.to_ascii_lowercase())));
    });
    out
}

/// `UpperCamelCase`: each word with its first character in uppercase and the others in
/// lowercase, joined.
pub(super) fn upper_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    each_word(name, |word| {
        let mut bytes = word.bytes();
        if let Some(first) = bytes.next() {
            out.push(char::from(first.to_ascii_uppercase()));
        }
        out.extend(bytes.map(|byte| char::from(byte.to_ascii_lowercase())));
    });
    out
}

#[cfg(test)]
mod tests {
    use heck::{ToSnakeCase, ToUpperCamelCase};

    fn same_as_heck(name: &str) {
        assert_eq!(super::snake(name), name.to_snake_case(), "snake case of {name:?}");
        assert_eq!(super::upper_camel(name), name.to_upper_camel_case(), "upper camel case of {name:?}");
    }

    #[test]
    fn words_split_as_heck_splits_them() {
        for name in [
            "",
            " ",
            "a",
            "A",
            "1",
            "ConversationAPIBody",
            "HTTPServer",
            "HTTP2Server",
            "getHTTP2",
            "a1B",
            "A1b",
            "AB1c",
            "x-rate-limit",
            "  leading and trailing  ",
            "snake_case_already",
            "UPPER_CASE",
            "mixed__Separators--and  spaces",
            "v2Beta1",
            "ABCdef",
            "abcDEF",
            "iOS",
            "123abc",
            "abc123DEF456ghi",
            "CafU00e9",
            "caf u00e9 ",
            "$ref",
        ] {
            same_as_heck(name);
        }
    }

    #[test]
    fn random_ascii_names_case_as_heck_cases_them() {
        // Names drawn from the characters where the rules differ: each case, digits, and the
        // separators `asciify` leaves (spaces) and others.
        const CHARS: &[u8] = b"aAbBzZ019 _-.";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut name = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 12) as usize;
            for _ in 0..length {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                name.push(char::from(CHARS[(state % CHARS.len() as u64) as usize]));
            }
            same_as_heck(&name);
        }
    }
}
