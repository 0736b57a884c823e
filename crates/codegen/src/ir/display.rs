//! How IR values are spelled in messages, docs and generated code.

use super::{Builtin, Method, Param, ParamLocation, ParamStyle, Status};

impl std::fmt::Display for Method {
    /// The method as HTTP writes it (`GET`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        })
    }
}

impl std::fmt::Display for Status {
    /// The status as the spec writes it: `200`, `4XX`, `default`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(range) => write!(f, "{range}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl std::fmt::Display for ParamLocation {
    /// The location as the spec writes it (`query`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        })
    }
}

impl Builtin {
    /// The Rust type a builtin is spelled as in generated code (`i64`, `chrono::NaiveDate`).
    pub fn rust_name(self) -> &'static str {
        match self {
            Builtin::String => "String",
            Builtin::DateTime => "chrono::DateTime<chrono::Utc>",
            Builtin::Date => "chrono::NaiveDate",
            Builtin::Uuid => "uuid::Uuid",
            Builtin::Bool => "bool",
            Builtin::I8 => "i8",
            Builtin::I16 => "i16",
            Builtin::I32 => "i32",
            Builtin::I64 => "i64",
            Builtin::U8 => "u8",
            Builtin::U16 => "u16",
            Builtin::U32 => "u32",
            Builtin::U64 => "u64",
            Builtin::F64 => "f64",
        }
    }
}

impl std::fmt::Display for ParamStyle {
    /// The style as the spec writes it (`deepObject`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ParamStyle::Simple => "simple",
            ParamStyle::Label => "label",
            ParamStyle::Matrix => "matrix",
            ParamStyle::Form => "form",
            ParamStyle::SpaceDelimited => "spaceDelimited",
            ParamStyle::PipeDelimited => "pipeDelimited",
            ParamStyle::DeepObject => "deepObject",
        })
    }
}

impl Param {
    /// Whether the decoded value always exists on the server: required, or a default fills it in.
    pub fn always_present(&self) -> bool {
        self.required || self.default.is_some()
    }
}
