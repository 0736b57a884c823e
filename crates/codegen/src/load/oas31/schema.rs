//! Schemas: the walk over every schema position, `$ref` siblings and anchors, `const`, null branches, bounds, examples and content keywords.

use super::*;

impl Converter {
    pub(super) fn schema(&mut self, value: &mut Value, conv: &str, site: Site) -> Result<(), Diagnostic> {
        match value {
            Value::Bool(true) => *value = json!({}),
            Value::Bool(false) => *value = json!({"not": {}}),
            _ => {}
        }
        let Some(schema) = value.as_object_mut() else { return Ok(()) };
        self.map_null_branches(schema, conv);
        let lost = self.unmapped_keywords(schema, conv);
        // One pass over the schema's keys, not a lookup of each dropped keyword in it.
        if schema.keys().any(|key| DROPPED_KEYWORDS.contains(&key.as_str())) {
            schema.retain(|key, _| !DROPPED_KEYWORDS.contains(&key.as_str()));
        }
        if self.reference(schema, conv, site)? {
            return Ok(());
        }
        map_examples(schema);
        self.map_const(schema, conv)?;
        map_bound(schema, "exclusiveMinimum", "minimum", |limit, bound| limit >= bound);
        map_bound(schema, "exclusiveMaximum", "maximum", |limit, bound| limit <= bound);
        map_content(schema);
        self.map_unevaluated_properties(schema, conv, lost);
        self.map_unevaluated_items(schema, conv, lost);
        self.map_type(schema, conv)?;
        nullable_from_enum(schema);
        self.children(schema, conv)
    }

    pub(super) fn children(&mut self, schema: &mut Object, conv: &str) -> Result<(), Diagnostic> {
        for (key, value) in schema.iter_mut() {
            let at = child_pointer(conv, key);
            match key.as_str() {
                "properties" => self.each_schema_in_map(value, &at, Site::Documented)?,
                "$defs" => self.each_schema_in_map(value, &at, Site::Other)?,
                "items" | "not" => self.schema(value, &at, Site::Other)?,
                // `true`/`false` are 3.0 spellings here.
                "additionalProperties" if value.is_object() => self.schema(value, &at, Site::Other)?,
                "allOf" | "oneOf" | "anyOf" => {
                    let Some(list) = value.as_array_mut() else { continue };
                    for (index, branch) in list.iter_mut().enumerate() {
                        self.schema(branch, &child_pointer(&at, &index.to_string()), Site::Other)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn each_schema_in_map(&mut self, value: &mut Value, conv: &str, site: Site) -> Result<(), Diagnostic> {
        let Some(map) = value.as_object_mut() else { return Ok(()) };
        for (name, schema) in map.iter_mut() {
            self.schema(schema, &child_pointer(conv, name), site)?;
        }
        Ok(())
    }

    /// A `$ref` with siblings is legal in 3.1 and means "the target, and also the siblings";
    /// in 3.0 siblings are ignored, so those that matter move next to an `allOf: [$ref]`.
    /// Returns true when the schema is a bare reference.
    pub(super) fn reference(&mut self, schema: &mut Object, conv: &str, site: Site) -> Result<bool, Diagnostic> {
        let Some(reference) = schema.get("$ref") else { return Ok(false) };
        let Some(text) = reference.as_str() else {
            return Err(Diagnostic::invalid(&self.at(conv, "$ref"), "`$ref` must be a string"));
        };
        if is_anchor_ref(text) {
            let target = self.anchor_target(text, &self.at(conv, "$ref"))?;
            schema.insert("$ref".into(), Value::String(target));
        }
        if !schema.keys().any(|key| changes_meaning(key, site)) {
            schema.retain(|key, _| key == "$ref");
            self.refs.push(conv.to_string());
            return Ok(true);
        }
        let orig = self.at(conv, "$ref");
        let all_of_at = self.at(conv, "allOf");
        let Some(reference) = schema.shift_remove("$ref") else { return Ok(false) };
        let all_of = schema.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
        let Some(list) = all_of.as_array_mut() else {
            return Err(Diagnostic::invalid(&all_of_at, "`allOf` must be a list of schemas"));
        };
        list.push(json!({ "$ref": reference }));
        let branch = child_pointer(&child_pointer(conv, "allOf"), &(list.len() - 1).to_string());
        self.derived(child_pointer(&branch, "$ref"), orig);
        self.wrappers.push(conv.to_string());
        Ok(false)
    }

    /// The pointer (in the user's file) of the schema a `#name` reference names by its
    /// `$anchor`. The `$ref`s to moved subtrees are rewritten later, as for any pointer.
    pub(super) fn anchor_target(&self, reference: &str, at: &str) -> Result<String, Diagnostic> {
        let name = reference.strip_prefix('#').unwrap_or(reference);
        match self.anchors.get(name).map(Vec::as_slice) {
            Some([target]) => Ok(target.clone()),
            Some(targets) if !targets.is_empty() => Err(Diagnostic::invalid(
                at,
                format!("$ref `{reference}` is ambiguous: `$anchor` `{name}` is declared at {}", targets.join(" and ")),
            )),
            _ => Err(Diagnostic::invalid(
                at,
                format!("dangling $ref `{reference}`: no schema in the document declares `$anchor: {name}`"),
            )),
        }
    }

    pub(super) fn map_const(&self, schema: &mut Object, conv: &str) -> Result<(), Diagnostic> {
        let Some(value) = schema.shift_remove("const") else { return Ok(()) };
        match schema.get("enum") {
            Some(Value::Array(values)) if !values.contains(&value) => {
                return Err(Diagnostic::invalid(
                    &self.at(conv, "const"),
                    "`const` is not one of the `enum` values, so no value is valid",
                ));
            }
            // A malformed `enum` is left for the 3.0 reader to report.
            Some(other) if !other.is_array() => return Ok(()),
            _ => {}
        }
        schema.insert("enum".into(), Value::Array(vec![value]));
        Ok(())
    }

    /// `oneOf`/`anyOf` with a `{type: "null"}` branch is the 3.1 spelling of a nullable union
    /// (or, with one other branch, of a nullable schema).
    pub(super) fn map_null_branches(&mut self, schema: &mut Object, conv: &str) {
        for keyword in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = schema.get(keyword) else { continue };
            let nulls = branches.iter().filter(|branch| is_null_schema(branch)).count();
            let all_of_ok = schema.get("allOf").is_none_or(Value::is_array);
            if nulls == 0 || nulls == branches.len() || !all_of_ok {
                continue;
            }
            let Some(Value::Array(branches)) = schema.shift_remove(keyword) else { continue };
            let kept: Vec<(usize, Value)> =
                branches.into_iter().enumerate().filter(|(_, branch)| !is_null_schema(branch)).collect();
            schema.insert("nullable".into(), Value::Bool(true));
            let orig = self.at(conv, keyword);
            if kept.len() == 1 {
                let Some((index, branch)) = kept.into_iter().next() else { continue };
                self.single_branch(schema, conv, child_pointer(&orig, &index.to_string()), branch);
                continue;
            }
            let base = child_pointer(conv, keyword);
            let mut list = Vec::with_capacity(kept.len());
            for (new, (old, branch)) in kept.into_iter().enumerate() {
                self.moved(child_pointer(&base, &new.to_string()), child_pointer(&orig, &old.to_string()));
                list.push(branch);
            }
            schema.insert(keyword.into(), Value::Array(list));
        }
    }

    /// The one branch left beside a `null` branch becomes the schema itself: merged when its
    /// keywords do not clash with the schema's, else the 3.0 idiom `allOf: [branch]`.
    pub(super) fn single_branch(&mut self, schema: &mut Object, conv: &str, orig: String, branch: Value) {
        match branch {
            Value::Object(fields) if mergeable(schema, &fields) => {
                for (key, value) in fields {
                    if !schema.contains_key(&key) {
                        self.moved(child_pointer(conv, &key), child_pointer(&orig, &key));
                        schema.insert(key, value);
                    }
                }
            }
            branch => {
                let all_of = schema.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
                if let Some(list) = all_of.as_array_mut() {
                    list.push(branch);
                    let index = (list.len() - 1).to_string();
                    self.moved(child_pointer(&child_pointer(conv, "allOf"), &index), orig);
                }
            }
        }
    }
}

pub(super) fn is_anchor_ref(reference: &str) -> bool {
    reference.len() > 1 && reference.starts_with('#') && !reference.starts_with("#/")
}

pub(super) fn changes_meaning(key: &str, site: Site) -> bool {
    match key {
        "$ref" | "$comment" | "examples" | "example" => false,
        // A reference whose siblings make it a JSON value stays one.
        JSON_VALUE_EXTENSION => true,
        "description" | "title" => site == Site::Documented,
        _ => !key.starts_with("x-"),
    }
}

/// A branch that admits null and nothing else: `{type: "null"}`, `{const: null}`, `{enum: [null]}`.
pub(super) fn is_null_schema(branch: &Value) -> bool {
    let Some(fields) = branch.as_object() else { return false };
    let mut says_null = false;
    for (key, value) in fields {
        let null = match key.as_str() {
            "type" => *value == json!("null") || *value == json!(["null"]),
            "const" => value.is_null(),
            "enum" => value.as_array().is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null)),
            other if DOC_KEYWORDS.contains(&other) || other.starts_with("x-") => continue,
            _ => false,
        };
        if !null {
            return false;
        }
        says_null = true;
    }
    says_null
}

pub(super) fn mergeable(schema: &Object, branch: &Object) -> bool {
    !branch.contains_key("$ref")
        && branch.keys().all(|key| DOC_KEYWORDS.contains(&key.as_str()) || !schema.contains_key(key))
}

pub(super) fn map_examples(schema: &mut Object) {
    // A map (a common mistake) is left alone: the 3.0 reader ignores it.
    let Some(Value::Array(examples)) = schema.get("examples") else { return };
    let first = examples.first().cloned();
    schema.shift_remove("examples");
    if let Some(first) = first {
        schema.entry("example").or_insert(first);
    }
}

/// What [`map_bound`] did with a numeric exclusive bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::load) enum BoundRead {
    /// The schema has no numeric exclusive bound (or a malformed inclusive one, left for the 3.0
    /// reader to report).
    Untouched,
    /// It became the inclusive bound plus the boolean flag.
    Exclusive,
    /// It was at least as strict as the inclusive bound next to it, which it replaced.
    ExclusiveOverInclusive,
    /// The inclusive bound next to it was stricter and stays; the exclusive one was dropped.
    InclusiveKept,
}

/// A numeric `exclusiveMinimum`/`exclusiveMaximum` becomes the 3.0 boolean form; next to an
/// inclusive bound the tighter of the two stays.
pub(in crate::load) fn map_bound(schema: &mut Object, exclusive: &str, inclusive: &str, tighter: fn(f64, f64) -> bool) -> BoundRead {
    let Some(Value::Number(limit)) = schema.get(exclusive) else { return BoundRead::Untouched };
    let limit = limit.clone();
    let read = match schema.get(inclusive) {
        Some(Value::Number(bound)) => {
            let exclusive_wins = match (limit.as_f64(), bound.as_f64()) {
                (Some(limit), Some(bound)) => tighter(limit, bound),
                _ => true,
            };
            if !exclusive_wins {
                schema.shift_remove(exclusive);
                return BoundRead::InclusiveKept;
            }
            BoundRead::ExclusiveOverInclusive
        }
        // A malformed bound is left for the 3.0 reader to report.
        Some(_) => return BoundRead::Untouched,
        None => BoundRead::Exclusive,
    };
    schema.insert(inclusive.into(), Value::Number(limit));
    schema.insert(exclusive.into(), Value::Bool(true));
    read
}

/// `contentEncoding`/`contentMediaType` are annotations in 3.1; 3.0 says the same of strings
/// with `format: byte` (base64) and `format: binary` (raw bytes).
pub(super) fn map_content(schema: &mut Object) {
    let encoding = schema.shift_remove("contentEncoding");
    let media_type = schema.shift_remove("contentMediaType");
    if schema.contains_key("format") || !declares_string(schema.get("type")) {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media_type.as_ref().and_then(Value::as_str)) {
        (Some(encoding), _) if encoding.eq_ignore_ascii_case("base64") => "byte",
        (None, Some(media_type)) if !is_textual(media_type) => "binary",
        _ => return,
    };
    schema.insert("format".into(), Value::from(format));
}

pub(super) fn declares_string(declared: Option<&Value>) -> bool {
    match declared {
        Some(Value::String(name)) => name == "string",
        Some(Value::Array(names)) => names.iter().any(|name| name == "string"),
        _ => false,
    }
}

pub(super) fn is_textual(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("json")
        || essence.ends_with("xml")
        || essence.ends_with("yaml")
        || essence == "application/x-www-form-urlencoded"
}
