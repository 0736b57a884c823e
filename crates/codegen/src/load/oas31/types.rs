//! `type` lists: `[T, "null"]` is `nullable`, `"null"` alone admits null only, several types become a `oneOf` of single-typed schemas with the keywords of each.

use super::*;

impl Converter {
    /// `type` lists: one type plus `"null"` is `nullable`; several types are a `oneOf` of
    /// single-typed schemas, each with the keywords that constrain its type.
    pub(super) fn map_type(&mut self, schema: &mut Object, conv: &str) -> Result<(), Diagnostic> {
        let Some(declared) = schema.get("type") else { return Ok(()) };
        let names = match declared {
            Value::String(name) if name != "null" => return Ok(()),
            Value::String(name) => vec![name.clone()],
            Value::Array(list) => self.type_names(list, conv)?,
            // Left for the 3.0 reader to report.
            _ => return Ok(()),
        };
        let has_null = names.iter().any(|name| name == "null");
        let mut kinds: Vec<String> = names.into_iter().filter(|name| name != "null").collect();
        // Every integer is a number, and `oneOf` branches must not overlap.
        if kinds.iter().any(|kind| kind == "number") {
            kinds.retain(|kind| kind != "integer");
        }
        let enumeration = schema.get("enum").and_then(Value::as_array).cloned();
        if let Some(values) = &enumeration {
            let admitted: Vec<String> =
                kinds.iter().filter(|kind| values.iter().any(|value| admits(kind, value))).cloned().collect();
            if kinds.len() > 1 && !admitted.is_empty() {
                kinds = admitted;
            }
        }
        // An `enum` without null rejects null whatever `type` says.
        let null_ok = has_null && enumeration.as_ref().is_none_or(|values| values.iter().any(Value::is_null));
        if null_ok {
            schema.insert("nullable".into(), Value::Bool(true));
        }
        match kinds.as_slice() {
            [] => self.null_only(schema, conv, null_ok),
            [kind] => {
                schema.insert("type".into(), Value::String(kind.clone()));
                Ok(())
            }
            _ => self.split_types(schema, conv, &kinds),
        }
    }

    pub(super) fn type_names(&self, list: &[Value], conv: &str) -> Result<Vec<String>, Diagnostic> {
        if list.is_empty() {
            return Err(Diagnostic::invalid(&self.at(conv, "type"), "`type` must name at least one type"));
        }
        let mut names: Vec<String> = Vec::new();
        for (index, entry) in list.iter().enumerate() {
            let Some(name) = entry.as_str() else {
                let at = child_pointer(&self.at(conv, "type"), &index.to_string());
                return Err(Diagnostic::invalid(&at, "`type` entries must be strings"));
            };
            if !names.iter().any(|seen| seen == name) {
                names.push(name.to_string());
            }
        }
        Ok(names)
    }

    /// `type: "null"`: 3.0 has no null type; `nullable` with `enum: [null]` admits null only.
    pub(super) fn null_only(&self, schema: &mut Object, conv: &str, null_ok: bool) -> Result<(), Diagnostic> {
        if !null_ok {
            return Err(Diagnostic::invalid(
                &self.at(conv, "enum"),
                "`type` only admits null and `enum` has no null, so no value is valid",
            ));
        }
        schema.shift_remove("type");
        schema.entry("enum").or_insert_with(|| json!([null]));
        Ok(())
    }

    /// Several types: a `oneOf` with one single-typed branch per type. Next to `allOf`, `oneOf`
    /// or `anyOf` that `oneOf` becomes a new member of the schema's `allOf`, so the schema means
    /// (one of the types) and (the rest), as the type list did.
    pub(super) fn split_types(&mut self, schema: &mut Object, conv: &str, kinds: &[String]) -> Result<(), Diagnostic> {
        let orig = self.orig(conv);
        let type_at = self.at(conv, "type");
        let composed = ["allOf", "oneOf", "anyOf"].into_iter().any(|keyword| schema.contains_key(keyword));
        let base = if composed {
            let members = match schema.get("allOf") {
                None => 0,
                Some(Value::Array(members)) => members.len(),
                Some(_) => return Err(Diagnostic::invalid(&self.at(conv, "allOf"), "`allOf` must be a list of schemas")),
            };
            child_pointer(&child_pointer(conv, "allOf"), &members.to_string())
        } else {
            conv.to_string()
        };
        let one_of = child_pointer(&base, "oneOf");
        schema.shift_remove("type");
        let enumeration = match schema.get("enum") {
            Some(Value::Array(_)) => schema.shift_remove("enum").and_then(|values| values.as_array().cloned()),
            _ => None,
        };
        let mut branches: Vec<Object> = kinds.iter().map(|kind| single_type(kind)).collect();
        let keys: Vec<String> = schema.keys().cloned().collect();
        for key in keys {
            let owners = schema.get(&key).map(|value| owners(&key, value)).unwrap_or_default();
            if owners.is_empty() {
                continue;
            }
            let key_at = self.at(conv, &key);
            // A keyword for a type the list does not name constrains nothing, as in 3.1.
            let Some(value) = schema.shift_remove(&key) else { continue };
            for (index, kind) in kinds.iter().enumerate() {
                if !owners.contains(&kind.as_str()) {
                    continue;
                }
                branches[index].insert(key.clone(), value.clone());
                let branch = child_pointer(&one_of, &index.to_string());
                if matches!(key.as_str(), "properties" | "items" | "additionalProperties") {
                    self.moved(child_pointer(&branch, &key), key_at.clone());
                } else {
                    self.derived(child_pointer(&branch, &key), key_at.clone());
                }
            }
        }
        if let Some(values) = enumeration {
            for (branch, kind) in branches.iter_mut().zip(kinds) {
                let own: Vec<Value> = values.iter().filter(|value| admits(kind, value)).cloned().collect();
                if !own.is_empty() {
                    branch.insert("enum".into(), Value::Array(own));
                }
            }
        }
        for index in 0..branches.len() {
            let branch = child_pointer(&one_of, &index.to_string());
            self.derived(branch.clone(), orig.clone());
            self.derived(child_pointer(&branch, "type"), type_at.clone());
        }
        let branches = Value::Array(branches.into_iter().map(Value::Object).collect());
        if !composed {
            schema.insert("oneOf".into(), branches);
            return Ok(());
        }
        self.derived(base, orig);
        let mut member = Object::new();
        member.insert("oneOf".into(), branches);
        if let Value::Array(members) = schema.entry("allOf").or_insert_with(|| Value::Array(Vec::new())) {
            members.push(Value::Object(member));
        }
        Ok(())
    }
}

/// Without a `type`, a null in `enum` admits null; 3.0 needs `nullable` for that.
pub(super) fn nullable_from_enum(schema: &mut Object) {
    if schema.contains_key("type") {
        return;
    }
    if schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.iter().any(Value::is_null)) {
        schema.insert("nullable".into(), Value::Bool(true));
    }
}

pub(super) fn single_type(kind: &str) -> Object {
    let mut branch = Object::new();
    branch.insert("type".into(), Value::String(kind.to_string()));
    branch
}

/// The types whose values a keyword constrains (none: it stays on the `oneOf` wrapper).
pub(super) fn owners(key: &str, value: &Value) -> &'static [&'static str] {
    match key {
        "minLength" | "maxLength" | "pattern" => &["string"],
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => &["integer", "number"],
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => &["object"],
        "items" | "minItems" | "maxItems" | "uniqueItems" => &["array"],
        "format" => match value.as_str() {
            Some("int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "float" | "double") => {
                &["integer", "number"]
            }
            Some(_) => &["string"],
            None => &[],
        },
        _ => &[],
    }
}

/// Whether a JSON type admits a value (unknown type names admit anything; lowering refuses them).
pub(super) fn admits(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|number| number.fract() == 0.0),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    }
}
