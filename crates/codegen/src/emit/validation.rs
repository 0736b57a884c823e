//! The validation crate: one check function per component schema, run on raw JSON so that every
//! violation is reported at once, before a typed value is built.

use crate::docs::inner_doc_attrs;
use crate::ir::{AdditionalCheck, CheckNode, JsonKind, SchemaCheck};
use crate::error::Diagnostic;
use crate::plan::{BodyKind, Plan};
use crate::render::RustFile;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// State while emitting: patterns are collected into statics, compiled once.
struct Emitter {
    /// The check function of each component schema, by index.
    check_fns: Vec<syn::Ident>,
    patterns: Vec<String>,
}

/// Writes `src/generated.rs` of the validation crate (each schema's entry points and check,
/// one schema at a time) and `src/generated/operations.rs` (each operation's checks).
/// `types_crate` is the Rust name of the types crate (`desk_types`).
pub fn validation_module(plan: &Plan<'_>, types_crate: &str, header: &str) -> Result<Vec<(&'static str, String)>, Diagnostic> {
    let api = plan.api;
    let types_crate = format_ident!("{}", types_crate);
    let check_fns = plan.schemas.iter().map(|names| format_ident!("{}", names.check)).collect();
    let mut emitter = Emitter { check_fns, patterns: Vec::new() };
    let mut file = RustFile::new(header, "validation");
    let module_doc = inner_doc_attrs(&format!(
        "Validation of {} values: every OpenAPI 3.0 keyword of every schema, all violations at once.",
        api.info.title
    ));
    file.items(quote! {
        #module_doc

        use serde_json::Value;
        pub use codegen_runtime::validation as report;
        pub use report::{Direction, ValidationError, ValidationErrors};
        #[allow(unused_imports)]
        use report::{Context, Path, run, typed};

        pub mod operations;
    })?;
    for (index, (component, names)) in api.checks.iter().zip(&plan.schemas).enumerate() {
        let check_fn = format_ident!("{}", names.check);
        let body = emitter.node_body(&component.check);
        let pointer = &component.check.pointer;
        let doc = format!(" Checks `{pointer}`.");
        let check = if body.is_empty() {
            quote! {
                #[doc = #doc]
                fn #check_fn<'v>(_value: &'v Value, _path: &mut Path<'v>, _cx: &mut Context) {}
            }
        } else {
            quote! {
                #[doc = #doc]
                fn #check_fn<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
                    #body
                }
            }
        };
        let def = api.ty(component.type_id);
        let validate = format_ident!("{}", names.validate);
        let parse = format_ident!("{}", names.parse);
        let type_name = format_ident!("{}", def.name);
        let validate_doc = format!(
            " Checks a JSON value against the `{}` schema (`{pointer}`), reporting every violation.",
            component.spec_name
        );
        let parse_doc = format!(
            " Checks a JSON value against the `{}` schema, then builds the typed value.",
            component.spec_name
        );
        file.gated_items(
            quote! {
                #[doc = #validate_doc]
                pub fn #validate(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
                    run(value, direction, #check_fn)
                }

                #[doc = #parse_doc]
                pub fn #parse(value: Value, direction: Direction) -> Result<#types_crate::#type_name, ValidationErrors> {
                    #validate(&value, direction)?;
                    typed(value)
                }
            },
            &plan.entry_point_cfg(index, component.type_id),
        )?;
        file.gated_items(check, &plan.check_cfg(index))?;
    }
    let operations = operation_checks(plan, &mut emitter, header)?;
    // With features, a pattern's checks may all be left out: the pattern is then unused.
    let allow_unused = plan.features.is_some().then(|| quote!(#[allow(dead_code)]));
    let patterns: Vec<TokenStream> = emitter.patterns.iter().enumerate().map(|(index, pattern)| {
        let name = format_ident!("PATTERN_{}", index);
        quote! {
            #allow_unused
            static #name: std::sync::LazyLock<regress::Regex> =
                std::sync::LazyLock::new(|| regress::Regex::new(#pattern).expect("pattern was compiled at generation time"));
        }
    }).collect();
    for pattern in patterns {
        file.items(pattern)?;
    }
    Ok(vec![("generated.rs", file.finish()), ("generated/operations.rs", operations)])
}

/// A check body as a closure for `report::run` (parameters unnamed when the body is empty).
fn closure(body: TokenStream) -> TokenStream {
    if body.is_empty() {
        quote!(|_, _, _| {})
    } else {
        quote!(|value, path, cx| { #body })
    }
}

/// `operations.rs`: a module per operation, with a check per parameter and per checked request
/// body, written one operation at a time.
fn operation_checks(plan: &Plan<'_>, emitter: &mut Emitter, header: &str) -> Result<String, Diagnostic> {
    let mut file = RustFile::new(header, "validation");
    file.items(quote! {
        //! Checks of each operation's parameters and request body.
        #[allow(unused_imports)]
        use super::*;
    })?;
    for op in &plan.operations {
        let operation = op.operation;
        let module = format_ident!("{}", op.check_module);
        let params: Vec<TokenStream> = op.params.iter().map(|p| {
            let function = format_ident!("{}", p.check);
            let body = closure(emitter.node(&p.param.check));
            let doc = format!(" Checks the `{}` parameter (`{}`).", p.param.wire, p.param.origin);
            quote! {
                #[doc = #doc]
                pub fn #function(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
                    run(value, direction, #body)
                }
            }
        }).collect();
        let body = op.body.as_ref().and_then(|body| {
            let function = format_ident!("{}", body.check.as_ref()?);
            let (media, encoding) = match &body.kind {
                BodyKind::Typed(typed) => (typed.media, if typed.json { "JSON" } else { "form" }),
                BodyKind::Multipart(multipart) => (multipart.media, "multipart"),
                BodyKind::Raw(_) => return None,
            };
            let body = closure(emitter.node(media.check.as_ref()?));
            let doc = format!(" Checks the {encoding} request body of `{}`.", operation.id);
            Some(quote! {
                #[doc = #doc]
                pub fn #function(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
                    run(value, direction, #body)
                }
            })
        });
        let doc = format!(" Checks of the `{}` operation.", operation.id);
        file.gated_items(quote! {
            #[doc = #doc]
            pub mod #module {
                #[allow(unused_imports)]
                use super::*;
                #(#params)*
                #body
            }
        }, &plan.operation_cfg(op))?;
    }
    Ok(file.finish())
}

/// A `min*`/`max*` size rule on `count` (`items.len()`, ...), written the way clippy likes:
/// nothing for a minimum of 0, `is_empty()` for comparisons with 0 and 1.
fn size_rule(count: TokenStream, receiver: TokenStream, bound: u64, is_min: bool, keyword: &str, message: String) -> TokenStream {
    let failing = match (is_min, bound) {
        (true, 0) => return quote!(),
        (true, 1) => quote!(#receiver.is_empty()),
        (false, 0) => quote!(!#receiver.is_empty()),
        (true, _) => {
            let bound = Literal::u64_unsuffixed(bound);
            quote!(#count < #bound)
        }
        (false, _) => {
            let bound = Literal::u64_unsuffixed(bound);
            quote!(#count > #bound)
        }
    };
    quote!(if #failing { cx.fail(path, #keyword, #message); })
}

fn lit_f64(value: f64) -> Literal {
    Literal::f64_suffixed(value)
}

impl Emitter {
    /// Code checking `value` (a `&'v Value` in scope) against a node.
    fn node(&mut self, node: &CheckNode) -> TokenStream {
        match node {
            CheckNode::Ref(index) => match self.check_fns.get(*index) {
                Some(check_fn) => quote!(#check_fn(value, path, cx);),
                None => quote!(),
            },
            CheckNode::Inline(check) => {
                let body = self.node_body(check);
                if body.is_empty() {
                    quote!()
                } else {
                    quote!({ #body })
                }
            }
        }
    }

    /// Code checking `value` against one schema's keywords.
    fn node_body(&mut self, check: &SchemaCheck) -> TokenStream {
        let nullable = check.nullable;
        // A wrong type ends the check of this value: the other keywords would only repeat it.
        let type_test = check.kind.map(|kind| match kind {
            JsonKind::String => (quote!(value.is_string()), "must be a string"),
            JsonKind::Number => (quote!(value.is_number()), "must be a number"),
            JsonKind::Integer => (quote!(report::is_integer(value)), "must be an integer"),
            JsonKind::Boolean => (quote!(value.is_boolean()), "must be a boolean"),
            JsonKind::Object => (quote!(value.is_object()), "must be an object"),
            JsonKind::Array => (quote!(value.is_array()), "must be an array"),
        });
        let all_strings = check.enumeration.iter().all(Value::is_string);
        let enum_rule = if check.enumeration.is_empty() {
            quote!()
        } else if all_strings {
            let values = check.enumeration.iter().filter_map(Value::as_str);
            let shown: Vec<String> = check.enumeration.iter().map(|v| v.to_string()).collect();
            let message = format!("must be one of {}", shown.join(", "));
            quote! {
                if !matches!(value.as_str(), Some(#(#values)|*)) {
                    cx.fail(path, "enum", #message);
                }
            }
        } else {
            let json = serde_json::to_string(&Value::Array(check.enumeration.clone())).unwrap_or_default();
            let shown: Vec<String> = check.enumeration.iter().map(|v| v.to_string()).collect();
            let message = format!("must be one of {}", shown.join(", "));
            let name = format_ident!("ENUM");
            quote! {
                {
                    static #name: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| serde_json::from_str(#json).expect("enum was serialized at generation time"));
                    if !#name.iter().any(|allowed| report::same_value(allowed, value)) {
                        cx.fail(path, "enum", #message);
                    }
                }
            }
        };
        let string_rules = self.string_rules(check);
        let number_rules = number_rules(check);
        let array_rules = self.array_rules(check);
        let object_rules = self.object_rules(check);
        let composition = self.composition_rules(check);
        let nothing_else = [&enum_rule, &string_rules, &number_rules, &array_rules, &object_rules, &composition]
            .iter()
            .all(|rules| rules.is_empty());
        if check.kind.is_none() && nothing_else {
            // `nullable` alone admits every value: nothing to check.
            return quote!();
        }
        let rules = quote! {
            #enum_rule
            #string_rules
            #number_rules
            #array_rules
            #object_rules
            #composition
        };
        let has_rules = !nothing_else;
        // `nullable: true` admits null whatever the other keywords say (OpenAPI 3.0.3); without
        // it, a typed schema refuses null.
        match (type_test, nullable, has_rules) {
            (None, false, _) => rules,
            (None, true, _) => quote! {
                if !value.is_null() {
                    #rules
                }
            },
            (Some((test, message)), false, false) => quote! {
                if value.is_null() {
                    cx.fail(path, "nullable", "must not be null");
                } else if !#test {
                    cx.fail(path, "type", #message);
                }
            },
            (Some((test, message)), false, true) => quote! {
                if value.is_null() {
                    cx.fail(path, "nullable", "must not be null");
                } else if !#test {
                    cx.fail(path, "type", #message);
                } else {
                    #rules
                }
            },
            (Some((test, message)), true, false) => quote! {
                if !value.is_null() && !#test {
                    cx.fail(path, "type", #message);
                }
            },
            (Some((test, message)), true, true) => quote! {
                if !value.is_null() {
                    if !#test {
                        cx.fail(path, "type", #message);
                    } else {
                        #rules
                    }
                }
            },
        }
    }

    fn string_rules(&mut self, check: &SchemaCheck) -> TokenStream {
        let c = &check.constraints;
        let mut rules = Vec::new();
        if c.min_length.is_some_and(|m| m > 0) || c.max_length.is_some() {
            let mut length_rules = Vec::new();
            if let Some(min) = c.min_length {
                let message = format!("must be at least {min} characters long");
                length_rules.push(size_rule(quote!(length), quote!(text), min, true, "minLength", message));
            }
            if let Some(max) = c.max_length {
                let message = format!("must be at most {max} characters long");
                length_rules.push(size_rule(quote!(length), quote!(text), max, false, "maxLength", message));
            }
            let needs_count = c.min_length.is_some_and(|m| m > 1) || c.max_length.is_some_and(|m| m > 0);
            let count = needs_count.then(|| quote!(let length = text.chars().count();));
            rules.push(quote! {
                #count
                #(#length_rules)*
            });
        }
        if let Some(pattern) = &c.pattern {
            let index = match self.patterns.iter().position(|p| p == pattern) {
                Some(index) => index,
                None => {
                    self.patterns.push(pattern.clone());
                    self.patterns.len() - 1
                }
            };
            let name = format_ident!("PATTERN_{}", index);
            let message = format!("must match the pattern `{pattern}`");
            rules.push(quote!(if #name.find(text).is_none() { cx.fail(path, "pattern", #message); }));
        }
        let format_check = match c.format.as_deref() {
            Some("date-time") => Some((quote!(report::is_date_time(text)), "must be an RFC 3339 date-time")),
            Some("date") => Some((quote!(report::is_date(text)), "must be a date (YYYY-MM-DD)")),
            Some("uuid") => Some((quote!(report::is_uuid(text)), "must be a UUID")),
            Some("email") => Some((quote!(report::is_email(text)), "must be an email address")),
            Some("uri") => Some((quote!(report::is_uri(text)), "must be an absolute URI")),
            Some("ipv4") => Some((quote!(report::is_ipv4(text)), "must be an IPv4 address")),
            Some("ipv6") => Some((quote!(report::is_ipv6(text)), "must be an IPv6 address")),
            Some("byte") => Some((quote!(report::is_base64(text)), "must be base64")),
            _ => None,
        };
        if let Some((test, message)) = format_check {
            rules.push(quote!(if !#test { cx.fail(path, "format", #message); }));
        }
        if rules.is_empty() {
            return quote!();
        }
        quote! {
            if let Some(text) = value.as_str() {
                #(#rules)*
            }
        }
    }

    fn array_rules(&mut self, check: &SchemaCheck) -> TokenStream {
        let c = &check.constraints;
        let mut rules = Vec::new();
        if let Some(min) = c.min_items {
            let message = format!("must have at least {min} items");
            rules.push(size_rule(quote!(items.len()), quote!(items), min, true, "minItems", message));
        }
        if let Some(max) = c.max_items {
            let message = format!("must have at most {max} items");
            rules.push(size_rule(quote!(items.len()), quote!(items), max, false, "maxItems", message));
        }
        if c.unique_items {
            rules.push(quote!(if !report::all_unique(items) { cx.fail(path, "uniqueItems", "must not contain duplicate items"); }));
        }
        // `items: {}` checks nothing; a loop over it would leave `value` unused.
        let item_body = check.items.as_ref().map(|item| self.node(item)).filter(|body| !body.is_empty());
        if let Some(body) = item_body {
            rules.push(quote! {
                for (index, value) in items.iter().enumerate() {
                    path.push_index(index);
                    #body
                    path.pop();
                }
            });
        }
        if rules.is_empty() {
            return quote!();
        }
        quote! {
            if let Some(items) = value.as_array() {
                #(#rules)*
            }
        }
    }

    fn object_rules(&mut self, check: &SchemaCheck) -> TokenStream {
        let c = &check.constraints;
        let mut rules = Vec::new();
        if let Some(min) = c.min_properties {
            let message = format!("must have at least {min} properties");
            rules.push(size_rule(quote!(object.len()), quote!(object), min, true, "minProperties", message));
        }
        if let Some(max) = c.max_properties {
            let message = format!("must have at most {max} properties");
            rules.push(size_rule(quote!(object.len()), quote!(object), max, false, "maxProperties", message));
        }
        for required in &check.required {
            let property = check.properties.iter().find(|p| &p.name == required);
            let (read_only, write_only) = property.map(|p| (p.read_only, p.write_only)).unwrap_or((false, false));
            rules.push(quote! {
                if !object.contains_key(#required) && cx.direction.requires(#read_only, #write_only) {
                    cx.fail_at(path, #required, "required", "must be set");
                }
            });
        }
        // One pass over the members present, dispatching on the key: cheaper than a lookup per
        // declared property, most of which are usually absent.
        let mut arms = Vec::new();
        let mut uses_value = false;
        if let ([property], None) = (check.properties.as_slice(), &check.additional) {
            // A single property needs no dispatch (and one that allows anything, no check).
            let name = &property.name;
            let body = self.node(&property.node);
            if !body.is_empty() { rules.push(quote! {
                if let Some(value) = object.get(#name) {
                    path.push_key(#name);
                    #body
                    path.pop();
                }
            }); }
        }
        for property in check.properties.iter().filter(|_| check.properties.len() > 1 || check.additional.is_some()) {
            let name = &property.name;
            let body = self.node(&property.node);
            uses_value |= !body.is_empty();
            arms.push(if body.is_empty() {
                quote!(#name => {})
            } else {
                quote! {
                    #name => {
                        path.push_key(key);
                        #body
                        path.pop();
                    }
                }
            });
        }
        let other = match &check.additional {
            None => None,
            Some(AdditionalCheck::Denied) => Some(quote!(_ => cx.fail_at(path, key, "additionalProperties", "is not allowed"),)),
            Some(AdditionalCheck::Schema(node)) => {
                let body = self.node(node);
                uses_value |= !body.is_empty();
                Some(quote! {
                    _ => {
                        path.push_key(key);
                        #body
                        path.pop();
                    }
                })
            }
        };
        if arms.is_empty() {
            // Only `additionalProperties`: every member goes through it.
            match &check.additional {
                Some(AdditionalCheck::Denied) => rules.push(quote! {
                    for key in object.keys() {
                        cx.fail_at(path, key, "additionalProperties", "is not allowed");
                    }
                }),
                Some(AdditionalCheck::Schema(node)) => {
                    let body = self.node(node);
                    if !body.is_empty() { rules.push(quote! {
                        for (key, value) in object {
                            path.push_key(key);
                            #body
                            path.pop();
                        }
                    }); }
                }
                None => {}
            }
        } else if !uses_value {
            // No member's value is checked (only which members are allowed).
            let other = other.unwrap_or_else(|| quote!(_ => {}));
            rules.push(quote! {
                for key in object.keys() {
                    match key.as_str() {
                        #(#arms)*
                        #other
                    }
                }
            });
        } else {
            let other = other.unwrap_or_else(|| quote!(_ => {}));
            rules.push(quote! {
                for (key, value) in object {
                    match key.as_str() {
                        #(#arms)*
                        #other
                    }
                }
            });
        }
        if rules.is_empty() {
            return quote!();
        }
        quote! {
            if let Some(object) = value.as_object() {
                #(#rules)*
            }
        }
    }

    fn composition_rules(&mut self, check: &SchemaCheck) -> TokenStream {
        let mut rules = Vec::new();
        for branch in &check.all_of {
            rules.push(self.node(branch));
        }
        for (branches, exclusive) in [(&check.one_of, true), (&check.any_of, false)] {
            if branches.is_empty() {
                continue;
            }
            if let Some((property, tags)) = &check.discriminator {
                let arms = tags.iter().map(|(tag, index)| {
                    let body = self.node(&branches[*index]);
                    quote!(Some(#tag) => { #body })
                });
                let allowed: Vec<&String> = tags.iter().map(|(tag, _)| tag).collect();
                let message = format!(
                    "must be one of {}",
                    allowed.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
                );
                rules.push(quote! {
                    match value.get(#property).and_then(Value::as_str) {
                        #(#arms)*
                        None if value.get(#property).is_none() => cx.fail_at(path, #property, "required", "must be set"),
                        _ => cx.fail_at(path, #property, "discriminator", #message),
                    }
                });
                continue;
            }
            let trials = branches.iter().map(|branch| {
                let body = self.node(branch);
                quote! {
                    {
                        let mark = cx.mark();
                        #body
                        if cx.rollback(mark) {
                            matched += 1;
                        }
                    }
                }
            });
            let rule = if exclusive {
                quote! {
                    let mut matched = 0usize;
                    #(#trials)*
                    if matched != 1 {
                        cx.fail(path, "oneOf", &format!("must match exactly one of the oneOf schemas (matched {matched})"));
                    }
                }
            } else {
                quote! {
                    let mut matched = 0usize;
                    #(#trials)*
                    if matched == 0 {
                        cx.fail(path, "anyOf", "must match at least one of the anyOf schemas");
                    }
                }
            };
            rules.push(quote!({ #rule }));
        }
        if let Some(not) = &check.not {
            let body = self.node(not);
            rules.push(quote! {
                {
                    let mark = cx.mark();
                    #body
                    if cx.rollback(mark) {
                        cx.fail(path, "not", "must not match the `not` schema");
                    }
                }
            });
        }
        quote!(#(#rules)*)
    }
}

fn number_rules(check: &SchemaCheck) -> TokenStream {
    let c = &check.constraints;
    let mut bounds = Vec::new();
    if let Some(min) = c.minimum {
        let lit = lit_f64(min);
        if c.exclusive_minimum {
            let message = format!("must be greater than {min}");
            bounds.push(quote!(if number <= #lit { cx.fail(path, "exclusiveMinimum", #message); }));
        } else {
            let message = format!("must be at least {min}");
            bounds.push(quote!(if number < #lit { cx.fail(path, "minimum", #message); }));
        }
    }
    if let Some(max) = c.maximum {
        let lit = lit_f64(max);
        if c.exclusive_maximum {
            let message = format!("must be less than {max}");
            bounds.push(quote!(if number >= #lit { cx.fail(path, "exclusiveMaximum", #message); }));
        } else {
            let message = format!("must be at most {max}");
            bounds.push(quote!(if number > #lit { cx.fail(path, "maximum", #message); }));
        }
    }
    let mut rules = Vec::new();
    if !bounds.is_empty() {
        rules.push(quote! {
            if let Some(number) = value.as_f64() {
                #(#bounds)*
            }
        });
    }
    if let Some(multiple) = c.multiple_of {
        let lit = lit_f64(multiple);
        let message = format!("must be a multiple of {multiple}");
        rules.push(quote!(if value.is_number() && !report::is_multiple_of(value, #lit) { cx.fail(path, "multipleOf", #message); }));
    }
    // Every integer must fit the Rust type the types crate gives it, so that a valid value
    // always parses (a value that does not is a 400 naming its field, not a failed parse).
    let range = match c.format.as_deref() {
        Some("int8") => (quote!(report::fits_i8(value)), "must fit in an 8-bit signed integer (int8)"),
        Some("int16") => (quote!(report::fits_i16(value)), "must fit in a 16-bit signed integer (int16)"),
        Some("int32") => (quote!(report::fits_i32(value)), "must fit in a 32-bit signed integer (int32)"),
        Some("int64") => (quote!(report::fits_i64(value)), "must fit in a 64-bit signed integer (int64)"),
        Some("uint8") => (quote!(report::fits_u8(value)), "must fit in an 8-bit unsigned integer (uint8)"),
        Some("uint16") => (quote!(report::fits_u16(value)), "must fit in a 16-bit unsigned integer (uint16)"),
        Some("uint32") => (quote!(report::fits_u32(value)), "must fit in a 32-bit unsigned integer (uint32)"),
        Some("uint64") => (quote!(report::fits_u64(value)), "must fit in a 64-bit unsigned integer (uint64)"),
        _ => (quote!(report::fits_i64(value)), "must fit in a 64-bit signed integer"),
    };
    if check.kind == Some(JsonKind::Integer) {
        let (test, message) = range;
        let keyword = if c.format.is_some() { "format" } else { "type" };
        rules.push(quote!(if !#test { cx.fail(path, #keyword, #message); }));
    }
    quote!(#(#rules)*)
}
