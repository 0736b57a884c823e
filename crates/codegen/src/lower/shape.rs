//! A flat view of an `openapiv3::Schema`.
//!
//! `openapiv3` splits schemas into typed variants plus a catch-all (`AnySchema`) for mixed
//! keyword sets. Lowering wants one question at a time ("does it have properties?", "is there
//! a oneOf?"), so this module folds every variant into one struct of borrowed parts.

use crate::ir::{Constraints, JsonKind};
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// Every keyword of one schema, borrowed.
pub struct Shape<'s> {
    pub data: &'s SchemaData,
    pub ty: Option<JsonKind>,
    /// A `type` value that is not one of the six JSON types (refused by the caller).
    pub unknown_type: Option<&'s str>,
    pub format: Option<String>,
    pub enumeration: Vec<Value>,
    pub properties: Vec<(&'s str, &'s ReferenceOr<Box<Schema>>)>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub one_of: &'s [ReferenceOr<Schema>],
    pub all_of: &'s [ReferenceOr<Schema>],
    pub any_of: &'s [ReferenceOr<Schema>],
    pub has_not: bool,
    pub constraints: Constraints,
}

fn format_of<T: std::fmt::Debug>(format: &VariantOrUnknownOrEmpty<T>, known: fn(&T) -> &'static str) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_string()),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(format: &openapiv3::StringFormat) -> &'static str {
    match format {
        openapiv3::StringFormat::Date => "date",
        openapiv3::StringFormat::DateTime => "date-time",
        openapiv3::StringFormat::Password => "password",
        openapiv3::StringFormat::Byte => "byte",
        openapiv3::StringFormat::Binary => "binary",
    }
}

fn number_format(format: &openapiv3::NumberFormat) -> &'static str {
    match format {
        openapiv3::NumberFormat::Float => "float",
        openapiv3::NumberFormat::Double => "double",
    }
}

fn integer_format(format: &openapiv3::IntegerFormat) -> &'static str {
    match format {
        openapiv3::IntegerFormat::Int32 => "int32",
        openapiv3::IntegerFormat::Int64 => "int64",
    }
}

fn to_u64(value: Option<usize>) -> Option<u64> {
    value.map(|v| v as u64)
}

const NO_REQUIRED: &[String] = &[];
const NO_SCHEMAS: &[ReferenceOr<Schema>] = &[];

impl<'s> Shape<'s> {
    /// Folds a schema into its flat view.
    pub fn of(schema: &'s Schema) -> Shape<'s> {
        let mut shape = Shape {
            data: &schema.schema_data,
            ty: None,
            unknown_type: None,
            format: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: NO_REQUIRED,
            additional: None,
            items: None,
            one_of: NO_SCHEMAS,
            all_of: NO_SCHEMAS,
            any_of: NO_SCHEMAS,
            has_not: false,
            constraints: Constraints::default(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                shape.ty = Some(JsonKind::String);
                shape.format = format_of(&string.format, string_format);
                shape.enumeration = string.enumeration.iter().map(|v| v.clone().map(Value::String).unwrap_or(Value::Null)).collect();
                shape.constraints.pattern = string.pattern.clone();
                shape.constraints.min_length = to_u64(string.min_length);
                shape.constraints.max_length = to_u64(string.max_length);
            }
            SchemaKind::Type(Type::Number(number)) => {
                shape.ty = Some(JsonKind::Number);
                shape.format = format_of(&number.format, number_format);
                shape.enumeration = number
                    .enumeration
                    .iter()
                    .map(|v| v.and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null))
                    .collect();
                shape.constraints.minimum = number.minimum;
                shape.constraints.maximum = number.maximum;
                shape.constraints.exclusive_minimum = number.exclusive_minimum;
                shape.constraints.exclusive_maximum = number.exclusive_maximum;
                shape.constraints.multiple_of = number.multiple_of;
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                shape.ty = Some(JsonKind::Integer);
                shape.format = format_of(&integer.format, integer_format);
                shape.enumeration = integer.enumeration.iter().map(|v| v.map(Value::from).unwrap_or(Value::Null)).collect();
                shape.constraints.minimum = integer.minimum.map(|v| v as f64);
                shape.constraints.maximum = integer.maximum.map(|v| v as f64);
                shape.constraints.exclusive_minimum = integer.exclusive_minimum;
                shape.constraints.exclusive_maximum = integer.exclusive_maximum;
                shape.constraints.multiple_of = integer.multiple_of.map(|v| v as f64);
            }
            SchemaKind::Type(Type::Boolean(boolean)) => {
                shape.ty = Some(JsonKind::Boolean);
                shape.enumeration = boolean.enumeration.iter().map(|v| v.map(Value::Bool).unwrap_or(Value::Null)).collect();
            }
            SchemaKind::Type(Type::Object(object)) => {
                shape.ty = Some(JsonKind::Object);
                shape.properties = object.properties.iter().map(|(k, v)| (k.as_str(), v)).collect();
                shape.required = &object.required;
                shape.additional = object.additional_properties.as_ref();
                shape.constraints.min_properties = to_u64(object.min_properties);
                shape.constraints.max_properties = to_u64(object.max_properties);
            }
            SchemaKind::Type(Type::Array(array)) => {
                shape.ty = Some(JsonKind::Array);
                shape.items = array.items.as_ref();
                shape.constraints.min_items = to_u64(array.min_items);
                shape.constraints.max_items = to_u64(array.max_items);
                shape.constraints.unique_items = array.unique_items;
            }
            SchemaKind::OneOf { one_of } => shape.one_of = one_of,
            SchemaKind::AllOf { all_of } => shape.all_of = all_of,
            SchemaKind::AnyOf { any_of } => shape.any_of = any_of,
            SchemaKind::Not { .. } => shape.has_not = true,
            SchemaKind::Any(any) => {
                shape.ty = match any.typ.as_deref() {
                    None => None,
                    Some("string") => Some(JsonKind::String),
                    Some("number") => Some(JsonKind::Number),
                    Some("integer") => Some(JsonKind::Integer),
                    Some("boolean") => Some(JsonKind::Boolean),
                    Some("object") => Some(JsonKind::Object),
                    Some("array") => Some(JsonKind::Array),
                    Some(other) => {
                        shape.unknown_type = Some(other);
                        None
                    }
                };
                shape.format = any.format.clone();
                shape.enumeration = any.enumeration.clone();
                shape.properties = any.properties.iter().map(|(k, v)| (k.as_str(), v)).collect();
                shape.required = &any.required;
                shape.additional = any.additional_properties.as_ref();
                shape.items = any.items.as_ref();
                shape.one_of = &any.one_of;
                shape.all_of = &any.all_of;
                shape.any_of = &any.any_of;
                shape.has_not = any.not.is_some();
                let c = &mut shape.constraints;
                c.pattern = any.pattern.clone();
                c.min_length = to_u64(any.min_length);
                c.max_length = to_u64(any.max_length);
                c.minimum = any.minimum;
                c.maximum = any.maximum;
                c.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
                c.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
                c.multiple_of = any.multiple_of;
                c.min_items = to_u64(any.min_items);
                c.max_items = to_u64(any.max_items);
                c.unique_items = any.unique_items.unwrap_or(false);
                c.min_properties = to_u64(any.min_properties);
                c.max_properties = to_u64(any.max_properties);
                if shape.ty.is_none() && (!shape.properties.is_empty() || shape.additional.is_some()) {
                    shape.ty = Some(JsonKind::Object);
                }
                if shape.ty.is_none() && shape.items.is_some() {
                    shape.ty = Some(JsonKind::Array);
                }
            }
        }
        shape.constraints.format = shape.format.clone();
        shape
    }

    /// True when the schema only states constraints (e.g. `{required: [a]}` inside a `oneOf`)
    /// and says nothing about the shape of the value.
    pub fn is_constraint_only(&self) -> bool {
        self.ty.is_none()
            && self.unknown_type.is_none()
            && self.properties.is_empty()
            && self.items.is_none()
            && self.additional.is_none()
            && self.enumeration.is_empty()
            && self.one_of.is_empty()
            && self.all_of.is_empty()
            && self.any_of.is_empty()
    }

    /// The documentation of the schema: its description, else its title.
    pub fn doc(&self) -> Option<String> {
        self.data.description.clone().or_else(|| self.data.title.clone())
    }
}
