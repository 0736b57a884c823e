//! A parameter's `style` and `explode`: the server decodes and the client encodes by them.

/// `style` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StyleKind {
    /// `simple`
    Simple,
    /// `label`
    Label,
    /// `matrix`
    Matrix,
    /// `form`
    Form,
    /// `spaceDelimited`
    SpaceDelimited,
    /// `pipeDelimited`
    PipeDelimited,
    /// `deepObject`
    DeepObject,
}

/// A parameter's `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// The style.
    pub kind: StyleKind,
    /// Whether arrays and objects are exploded.
    pub explode: bool,
}

impl Style {
    /// `form`, exploded: the default of query and cookie parameters and form fields.
    pub const FORM: Style = Style { kind: StyleKind::Form, explode: true };
    /// `simple`, not exploded: the default of path and header parameters.
    pub const SIMPLE: Style = Style { kind: StyleKind::Simple, explode: false };
}
