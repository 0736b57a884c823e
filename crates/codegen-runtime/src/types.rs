//! Helpers the generated types use; not part of any spec.

/// A string or integer that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    type_name: &'static str,
    value: String,
}

impl ParseEnumError {
    /// An error for `value`, which is not a value of the enum `type_name`.
    pub fn new(type_name: &'static str, value: String) -> Self {
        ParseEnumError { type_name, value }
    }
}

impl std::fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a valid {}", self.value, self.type_name)
    }
}

impl std::error::Error for ParseEnumError {}

/// The value of the string enum `T` (named `type_name` in errors) that `text` spells on the
/// wire. `T`'s `Deserialize` knows every value's spelling, so the generated `FromStr` reads
/// through it instead of repeating each value in a second `match`.
pub fn parse_enum<T: serde::de::DeserializeOwned>(text: &str, type_name: &'static str) -> Result<T, ParseEnumError> {
    let wire = serde::de::value::StrDeserializer::<serde::de::value::Error>::new(text);
    T::deserialize(wire).map_err(|_| ParseEnumError::new(type_name, text.to_string()))
}

/// Deserializes a present field (even `null`) as `Some`, so that an absent optional nullable
/// field (`None`) stays apart from an explicit `null` (`Some(None)`).
pub fn deserialize_some<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}
