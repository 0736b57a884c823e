//! The validation crate: one check function per component schema, run on raw JSON so that every
//! violation is reported at once, before a typed value is built.

mod operations;

pub use operations::OperationChecks;

use crate::docs::inner_doc_attrs;
use crate::ir::{AdditionalCheck, CheckNode, JsonKind, SchemaCheck};
use crate::error::Diagnostic;
use crate::naming::NameSet;
use crate::plan::Plan;
use crate::render::{Chunk, RustFile};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// State while emitting: patterns are collected into statics, compiled once.
struct Emitter {
    /// The check function of each component schema, by index.
    check_fns: Vec<syn::Ident>,
    patterns: Vec<String>,
    /// What the statics' names start with (`PATTERN`): each file has its own, so that the
    /// schemas' file and the operations' file can be printed on separate threads.
    pattern_prefix: &'static str,
    /// The functions the nested object schemas of the check being emitted are checked by
    /// ([`Self::hoisted`]), outer ones first, and their names.
    helpers: Vec<TokenStream>,
    helper_names: NameSet,
    /// Where the value being emitted is, from the check's root (`$.topic_list.topics[*]`), and
    /// what a function hoisted from it is named after (`topics_item`).
    place: String,
    hint: String,
}

impl Emitter {
    fn new(plan: &Plan<'_>, pattern_prefix: &'static str) -> Self {
        let check_fns = plan.schemas.iter().map(|names| format_ident!("{}", names.check)).collect();
        Emitter {
            check_fns,
            patterns: Vec::new(),
            pattern_prefix,
            helpers: Vec::new(),
            helper_names: NameSet::default(),
            place: String::new(),
            hint: String::new(),
        }
    }

    /// The code of a schema checked on its own (a component schema, a parameter, a body) and
    /// the functions its nested object schemas were hoisted into, to go before it.
    fn root(&mut self, emit: impl FnOnce(&mut Self) -> TokenStream) -> (TokenStream, TokenStream) {
        self.helper_names = NameSet::default();
        self.place = String::from("$");
        self.hint.clear();
        let body = emit(self);
        let helpers = std::mem::take(&mut self.helpers);
        (quote!(#(#helpers)*), body)
    }

    /// Runs `emit` for a value inside the current one: `place` is appended to where it is,
    /// `hint` names what is hoisted from it.
    fn within<R>(&mut self, place: &str, hint: String, emit: impl FnOnce(&mut Self) -> R) -> R {
        let outer_place = self.place.len();
        self.place.push_str(place);
        let outer_hint = std::mem::replace(&mut self.hint, hint);
        let result = emit(self);
        self.place.truncate(outer_place);
        self.hint = outer_hint;
        result
    }

    /// The function a nested object schema is checked by, written beside the check it is
    /// part of. Each level of an object inline in another would otherwise indent its code
    /// by six more levels (a match arm, a block, a type check, ...): inline response bodies
    /// nested ten deep were three quarters indentation. `None` for a schema without
    /// properties (checked inline) and for one that admits every value.
    fn hoisted(&mut self, check: &SchemaCheck) -> Option<syn::Ident> {
        if check.properties.is_empty() {
            return None;
        }
        let base = crate::naming::field_name(&self.hint, "member");
        let wanted = format!("{}_check", base.trim_end_matches('_'));
        // Clear of the functions checks call: `check_check` is the check of a `Check` schema.
        let reserved = ["check_", "validate_", "parse_"].iter().any(|prefix| wanted.starts_with(prefix));
        let wanted = if reserved { format!("member_{wanted}") } else { wanted };
        // The outer function is named and placed before those hoisted from its members.
        let claimed = self.helper_names.claim(&wanted, "_");
        let slot = self.helpers.len();
        self.helpers.push(TokenStream::new());
        let body = self.node_body(check);
        if body.is_empty() {
            // Nothing was hoisted from a check that checks nothing.
            self.helpers.truncate(slot);
            self.helper_names.release(&claimed);
            return None;
        }
        let name = format_ident!("{}", claimed);
        let value = value_param(&body);
        let doc = format!(" Checks `{}`.", self.place);
        if let Some(helper) = self.helpers.get_mut(slot) {
            *helper = quote! {
                #[doc = #doc]
                fn #name<'v>(#value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
                    #body
                }
            };
        }
        Some(name)
    }

    /// The static of each pattern used, compiled at its first use.
    fn pattern_statics(&self, plan: &Plan<'_>) -> Vec<TokenStream> {
        pattern_statics(plan, self.pattern_prefix, &self.patterns)
    }
}

/// Writes `src/generated.rs` of the validation crate (each schema's entry points and check)
/// and `src/generated/operations.rs` (each operation's checks).
/// `types_crate` is the Rust name of the types crate (`desk_types`).
pub fn validation_module(plan: &Plan<'_>, types_crate: &str, header: &str) -> Result<Vec<(&'static str, String)>, Diagnostic> {
    let mut files = validation_schemas(plan, types_crate, header)?;
    files.push(("generated/operations.rs", validation_operations(plan, header)?));
    Ok(files)
}

/// `src/generated/operations.rs` of the validation crate: each operation's checks.
pub fn validation_operations(plan: &Plan<'_>, header: &str) -> Result<String, Diagnostic> {
    operations_part(plan, &prepare_operations(plan), header, Chunk::WHOLE)
}

/// Every operation's checks, emitted, for [`operations_part`].
pub fn prepare_operations(plan: &Plan<'_>) -> OperationChecks {
    operations::prepare(plan, Emitter::new(plan, "OPERATION_PATTERN"))
}

/// One part of `src/generated/operations.rs`: the parts' texts one after the other are the file.
pub fn operations_part(plan: &Plan<'_>, prepared: &OperationChecks, header: &str, chunk: Chunk) -> Result<String, Diagnostic> {
    operations::print_part(plan, prepared, header, chunk)
}

/// `src/generated.rs` of the validation crate: each schema's entry points and check, one
/// schema at a time.
pub fn validation_schemas(plan: &Plan<'_>, types_crate: &str, header: &str) -> Result<Vec<(&'static str, String)>, Diagnostic> {
    let api = plan.api;
    let types_crate = format_ident!("{}", types_crate);
    let mut emitter = Emitter::new(plan, "PATTERN");
    let mut file = RustFile::new(header, "validation");
    let module_doc = inner_doc_attrs(&format!(
        "Validation of {} values: every OpenAPI 3.0 keyword of every schema, all violations at once.",
        api.info.title
    ));
    file.items(quote! {
        #module_doc

        #[allow(unused_imports)]
        use serde_json::Value;
        pub use codegen_runtime::validation as report;
        pub use report::{Direction, ValidationError, ValidationErrors};
        #[allow(unused_imports)]
        use report::{Context, Format, IntFormat, Kind, Null, Path, Rule, run, typed};

        pub mod operations;
    })?;
    for (index, (component, names)) in api.checks.iter().zip(&plan.schemas).enumerate() {
        let check_fn = format_ident!("{}", names.check);
        let (helpers, body) = emitter.root(|emitter| emitter.node_body(&component.check));
        let pointer = &component.check.pointer;
        let doc = format!(" Checks `{pointer}`.");
        let check = if body.is_empty() {
            quote! {
                #[doc = #doc]
                fn #check_fn<'v>(_value: &'v Value, _path: &mut Path<'v>, _cx: &mut Context) {}
            }
        } else {
            let value = value_param(&body);
            quote! {
                #[doc = #doc]
                fn #check_fn<'v>(#value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
                    #helpers
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
        // `parse_*` is `#[inline]`: compiled only in the crates that call it. Each one
        // instantiates the type's `Deserialize` for `serde_json::Value`, and compiled here
        // for every schema they were two thirds of this crate's build time (nexus.json:
        // 2.4 s -> 0.7 s), though neither the server nor the client calls them.
        file.gated_items(
            quote! {
                #[doc = #validate_doc]
                pub fn #validate(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
                    run(value, direction, #check_fn)
                }

                #[doc = #parse_doc]
                #[inline]
                pub fn #parse(value: Value, direction: Direction) -> Result<#types_crate::#type_name, ValidationErrors> {
                    #validate(&value, direction)?;
                    typed(value)
                }
            },
            &plan.entry_point_cfg(index, component.type_id),
        )?;
        file.gated_items(check, &plan.check_cfg(index))?;
    }
    for pattern in emitter.pattern_statics(plan) {
        file.items(pattern)?;
    }
    Ok(vec![("generated.rs", file.finish())])
}

/// The static of each of `patterns`, named `<prefix>_<index>`, compiled at its first use.
fn pattern_statics(plan: &Plan<'_>, prefix: &str, patterns: &[String]) -> Vec<TokenStream> {
    // With features, a pattern's checks may all be left out: the pattern is then unused.
    let allow_unused = plan.features.is_some().then(|| quote!(#[allow(dead_code)]));
    patterns
        .iter()
        .enumerate()
        .map(|(index, pattern)| {
            let name = format_ident!("{}_{}", prefix, index);
            quote! {
                #allow_unused
                static #name: std::sync::LazyLock<regress::Regex> =
                    std::sync::LazyLock::new(|| regress::Regex::new(#pattern).expect("pattern was compiled at generation time"));
            }
        })
        .collect()
}

/// A check body as a closure for `report::run` (parameters unnamed when the body is empty).
fn closure(body: TokenStream) -> TokenStream {
    if body.is_empty() {
        quote!(|_, _, _| {})
    } else {
        let value = value_param(&body);
        quote!(|#value, path, cx| { #body })
    }
}

/// The name of a check's value parameter: `_value` when the body never reads it (a `not: {}`
/// or `false` schema only fails), so that the check compiles without an unused-variable warning.
fn value_param(body: &TokenStream) -> proc_macro2::Ident {
    fn mentions_value(tokens: &TokenStream) -> bool {
        tokens.clone().into_iter().any(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => ident == "value",
            proc_macro2::TokenTree::Group(group) => mentions_value(&group.stream()),
            _ => false,
        })
    }
    if mentions_value(body) {
        format_ident!("value")
    } else {
        format_ident!("_value")
    }
}

/// The runtime's `Format` variant of a string `format` it checks.
fn format_variant(format: &str) -> Option<TokenStream> {
    Some(match format {
        "date-time" => quote!(DateTime),
        "date" => quote!(Date),
        "uuid" => quote!(Uuid),
        "email" => quote!(Email),
        "uri" => quote!(Uri),
        "ipv4" => quote!(Ipv4),
        "ipv6" => quote!(Ipv6),
        "byte" => quote!(Byte),
        _ => return None,
    })
}

/// `Some(n)` or `None`, for the runtime's keyword functions.
fn opt_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = Literal::u64_unsuffixed(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}

fn opt_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = Literal::f64_suffixed(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}

/// `Rule::<shape>(arg)`, or `Rule::<shape>OrNull(arg)` when `null` is a value too.
fn rule(shape: &str, nullable: bool, arg: TokenStream) -> TokenStream {
    let variant = if nullable { format_ident!("{shape}OrNull") } else { format_ident!("{shape}") };
    quote!(Rule::#variant(#arg))
}

/// The check of one member ([`Emitter::member`]).
#[derive(Clone)]
enum Member {
    /// One call, without its `;`.
    Call(TokenStream),
    Statements(TokenStream),
    /// A member of one of the shapes the runtime's `Rule` covers (its type alone, a reference,
    /// a formatted string, ...: most members of most schemas), at `key`: its `rule` in the
    /// table of its object's check ([`Emitter::object_rules`]), or one `report::property_by`.
    Ruled { key: TokenStream, rule: TokenStream },
}

impl Member {
    fn ruled(key: &TokenStream, rule: TokenStream) -> Self {
        Member::Ruled { key: key.clone(), rule }
    }

    /// As statements.
    fn statements(self) -> TokenStream {
        match self {
            Member::Statements(statements) => statements,
            member => {
                let call = member.expression();
                quote!(#call;)
            }
        }
    }

    /// As the body of a `match` arm, with its `,` where needed.
    fn arm(self) -> TokenStream {
        match self {
            Member::Statements(statements) => quote!({ #statements }),
            member => {
                let call = member.expression();
                quote!(#call,)
            }
        }
    }

    /// As one expression: the call (a typed member checked on its own), or the statements as
    /// a block.
    fn expression(self) -> TokenStream {
        match self {
            Member::Call(call) => call,
            Member::Ruled { key, rule } => quote!(report::property_by(#key, value, path, cx, #rule)),
            Member::Statements(statements) => quote!({ #statements }),
        }
    }
}

/// One schema's keywords as code ([`Emitter::keywords`]).
struct Keywords {
    /// `Kind::..` of `type`, when the schema has one.
    kind: Option<TokenStream>,
    /// `Null::..`.
    null: TokenStream,
    nullable: bool,
    /// The other keywords' checks, if any.
    rules: Option<TokenStream>,
}

impl Keywords {
    /// The check: the type first (a wrong type ends it), then the other keywords.
    fn into_tokens(self) -> TokenStream {
        let Keywords { kind, null, nullable, rules } = self;
        match (kind, nullable, rules) {
            (None, _, None) => quote!(),
            (None, false, Some(rules)) => rules,
            (None, true, Some(rules)) => quote! {
                if !value.is_null() {
                    #rules
                }
            },
            (Some(kind), _, None) => quote!(report::expect(value, path, cx, #kind, #null);),
            (Some(kind), _, Some(rules)) => quote! {
                if report::expect(value, path, cx, #kind, #null) {
                    #rules
                }
            },
        }
    }
}

impl Emitter {
    /// The function a node is checked by: a component schema's, or the one it was hoisted into.
    fn node_fn(&mut self, node: &CheckNode) -> Option<syn::Ident> {
        match node {
            CheckNode::Ref(index) => self.check_fns.get(*index).cloned(),
            CheckNode::Inline(check) => self.hoisted(check),
        }
    }

    /// Code checking `value` (a `&'v Value` in scope) against a node, in place (only what the
    /// node contains may be hoisted).
    fn root_node(&mut self, node: &CheckNode) -> TokenStream {
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
        self.keywords(check).map(Keywords::into_tokens).unwrap_or_default()
    }

    /// One schema's keywords as code, before they are put together; `None` when the schema
    /// admits every value.
    fn keywords(&mut self, check: &SchemaCheck) -> Option<Keywords> {
        let nullable = check.nullable;
        // A wrong type ends the check of this value: the other keywords would only repeat it.
        let kind = check.kind.map(|kind| match kind {
            JsonKind::String => quote!(Kind::String),
            JsonKind::Number => quote!(Kind::Number),
            JsonKind::Integer => quote!(Kind::Integer),
            JsonKind::Boolean => quote!(Kind::Boolean),
            JsonKind::Object => quote!(Kind::Object),
            JsonKind::Array => quote!(Kind::Array),
        });
        let all_strings = check.enumeration.iter().all(Value::is_string);
        let enum_rule = if check.no_value {
            quote!(cx.fail(path, "enum", "is not allowed: the schema's `enum` lists no value");)
        } else if check.enumeration.is_empty() {
            quote!()
        } else if all_strings {
            let values = check.enumeration.iter().filter_map(Value::as_str);
            quote!(report::string_enum(value, path, cx, &[#(#values),*]);)
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
            return None;
        }
        let rules = quote! {
            #enum_rule
            #string_rules
            #number_rules
            #array_rules
            #object_rules
            #composition
        };
        // `nullable: true` admits null whatever the other keywords say (OpenAPI 3.0.3); without
        // it, a typed schema refuses null.
        let null = if nullable { quote!(Null::Allowed) } else { quote!(Null::Refused) };
        Some(Keywords { kind, null, nullable, rules: (!nothing_else).then_some(rules) })
    }

    fn string_rules(&mut self, check: &SchemaCheck) -> TokenStream {
        let c = &check.constraints;
        let mut rules = Vec::new();
        let min_length = c.min_length.filter(|min| *min > 0);
        if min_length.is_some() || c.max_length.is_some() {
            let (min, max) = (opt_u64(min_length), opt_u64(c.max_length));
            rules.push(quote!(report::length(value, path, cx, #min, #max);));
        }
        if let Some(pattern) = &c.pattern {
            let index = match self.patterns.iter().position(|p| p == pattern) {
                Some(index) => index,
                None => {
                    self.patterns.push(pattern.clone());
                    self.patterns.len() - 1
                }
            };
            let name = format_ident!("{}_{}", self.pattern_prefix, index);
            rules.push(quote!(report::pattern(value, path, cx, |text| #name.find(text).is_some(), #pattern);));
        }
        if let Some(format) = c.format.as_deref().and_then(format_variant) {
            rules.push(quote!(report::format(value, path, cx, Format::#format);));
        }
        quote!(#(#rules)*)
    }

    fn array_rules(&mut self, check: &SchemaCheck) -> TokenStream {
        let c = &check.constraints;
        let mut rules = Vec::new();
        let min_items = c.min_items.filter(|min| *min > 0);
        if min_items.is_some() || c.max_items.is_some() || c.unique_items {
            let (min, max, unique) = (opt_u64(min_items), opt_u64(c.max_items), c.unique_items);
            rules.push(quote!(report::items(value, path, cx, #min, #max, #unique);));
        }
        // Items of a component schema, or of an object schema hoisted: one call.
        if let Some(check_fn) = self.items_fn(check) {
            rules.push(quote!(report::each(value, path, cx, #check_fn);));
            return quote!(#(#rules)*);
        }
        // `items: {}` checks nothing; a loop over it would leave `value` unused.
        let hint = format!("{}_item", self.hint);
        let item_body = check
            .items
            .as_ref()
            .map(|item| self.within("[*]", hint, |emitter| emitter.root_node(item)))
            .filter(|body| !body.is_empty());
        if let Some(body) = item_body {
            rules.push(quote! {
                if let Some(items) = value.as_array() {
                    for (index, value) in items.iter().enumerate() {
                        path.push_index(index);
                        #body
                        path.pop();
                    }
                }
            });
        }
        quote!(#(#rules)*)
    }

    /// The check of one member's value at `key`: a call of the runtime for a member whose
    /// schema is a reference, a type alone or one of the shapes of [`Self::member_call`], or
    /// its keywords inline between entering and leaving the member. `None` when nothing is
    /// checked.
    fn member(&mut self, key: TokenStream, node: &CheckNode) -> Option<Member> {
        let check = match node {
            CheckNode::Ref(index) => {
                let check = self.check_fns.get(*index)?;
                return Some(Member::ruled(&key, quote!(Rule::Check(#check))));
            }
            CheckNode::Inline(check) => check,
        };
        if let Some(member) = self.member_call(&key, check) {
            return Some(member);
        }
        if let Some(check_fn) = self.hoisted(check) {
            return Some(Member::ruled(&key, quote!(Rule::Check(#check_fn))));
        }
        let body = match self.keywords(check)? {
            // The type alone: the most common member by far.
            Keywords { kind: Some(kind), rules: None, .. } => {
                return Some(Member::ruled(&key, rule("Type", check.nullable, kind.clone())))
            }
            keywords => keywords.into_tokens(),
        };
        Some(Member::Statements(quote! {
            path.push_key(#key);
            { #body }
            path.pop();
        }))
    }

    /// The check of a property's value at `key`, named and placed after the property.
    fn property_member(&mut self, property: &crate::ir::PropertyCheck, key: TokenStream) -> Option<Member> {
        let name = &property.name;
        self.within(&format!(".{name}"), name.clone(), |emitter| emitter.member(key, &property.node))
    }

    /// The function an array's items are checked by: a component schema's, or the one an
    /// object schema was hoisted into.
    fn items_fn(&mut self, check: &SchemaCheck) -> Option<syn::Ident> {
        let items = check.items.as_ref()?;
        let hint = format!("{}_item", self.hint);
        self.within("[*]", hint, |emitter| emitter.node_fn(items))
    }

    /// One runtime call for the members most schemas are made of: a reference with a
    /// description beside it (`allOf: [$ref]`, nullable or not), a string with a `format` or
    /// an `enum` alone, an integer with a `format` or none, and an array of a component
    /// schema. `None` for other schemas.
    fn member_call(&mut self, key: &TokenStream, check: &SchemaCheck) -> Option<Member> {
        // The schema without the keywords the calls below check: nothing else may be left.
        let rest = SchemaCheck {
            pointer: String::new(),
            kind: None,
            nullable: false,
            read_only: false,
            write_only: false,
            enumeration: Vec::new(),
            constraints: crate::ir::Constraints { format: None, ..check.constraints.clone() },
            all_of: Vec::new(),
            items: None,
            ..check.clone()
        };
        if rest != SchemaCheck::default() {
            return None;
        }
        let format = check.constraints.format.as_deref().and_then(format_variant);
        // A format the runtime does not check (`password`) checks nothing beside an enum; beside
        // a reference or items the inline code is kept.
        let no_format = check.constraints.format.is_none();
        match (check.kind, check.all_of.as_slice(), check.items.as_ref(), check.enumeration.is_empty(), format) {
            (Some(JsonKind::Array), [], Some(_), true, None) if no_format => {
                let check_fn = self.items_fn(check)?;
                Some(Member::ruled(key, rule("Array", check.nullable, quote!(#check_fn))))
            }
            (None, [CheckNode::Ref(index)], None, true, None) if no_format => {
                let check_fn = self.check_fns.get(*index)?;
                Some(Member::ruled(key, rule("Check", check.nullable, quote!(#check_fn))))
            }
            // Every integer is checked to fit its Rust type, whatever its `format`: without
            // one, an `i64` (the table's `Kind::Integer` checks it too).
            (Some(JsonKind::Integer), [], None, true, None) if no_format => {
                Some(Member::ruled(key, rule("Type", check.nullable, quote!(Kind::Integer))))
            }
            (Some(JsonKind::Integer), [], None, true, None) => {
                let format = int_format(check.constraints.format.as_deref());
                Some(Member::ruled(key, rule("Integer", check.nullable, quote!(IntFormat::#format))))
            }
            (Some(JsonKind::String), [], None, true, Some(format)) => {
                Some(Member::ruled(key, rule("Format", check.nullable, quote!(Format::#format))))
            }
            (Some(JsonKind::String), [], None, false, None) if check.enumeration.iter().all(Value::is_string) => {
                let values: Vec<&str> = check.enumeration.iter().filter_map(Value::as_str).collect();
                Some(Member::ruled(key, rule("Enum", check.nullable, quote!(&[#(#values),*]))))
            }
            _ => None,
        }
    }

    fn object_rules(&mut self, check: &SchemaCheck) -> TokenStream {
        let c = &check.constraints;
        let mut rules = Vec::new();
        let mut outer = Vec::new();
        let min_properties = c.min_properties.filter(|min| *min > 0);
        if min_properties.is_some() || c.max_properties.is_some() {
            let (min, max) = (opt_u64(min_properties), opt_u64(c.max_properties));
            outer.push(quote!(report::properties(value, path, cx, #min, #max);));
        }
        if !check.required.is_empty() {
            // A map: an object can list thousands of properties and required names.
            let mut properties = std::collections::HashMap::new();
            for property in &check.properties {
                properties.entry(property.name.as_str()).or_insert(property);
            }
            let names = check.required.iter().map(|required| {
                let property = properties.get(required.as_str());
                let needed = match property.map(|p| (p.read_only, p.write_only)).unwrap_or((false, false)) {
                    (false, false) => quote!(Always),
                    (true, false) => quote!(ReadOnly),
                    (false, true) => quote!(WriteOnly),
                    (true, true) => quote!(Never),
                };
                quote!((#required, report::Needed::#needed))
            });
            rules.push(quote!(report::required(object, path, cx, &[#(#names),*]);));
        }
        // One pass over the members present, dispatching on the key: cheaper than a lookup per
        // declared property, most of which are usually absent.
        let mut uses_value = false;
        if let ([property], None) = (check.properties.as_slice(), &check.additional) {
            // A single property needs no dispatch (and one that allows anything, no check).
            let name = &property.name;
            let member = self.property_member(property, quote!(#name));
            if let Some(body) = member.map(Member::statements) {
                rules.push(quote! {
                    if let Some(value) = object.get(#name) {
                        #body
                    }
                });
            }
        }
        // The members of the shapes the runtime's `Rule` covers go in a table, sorted by name,
        // which the runtime searches for the members no arm takes: a line each instead of a
        // call of eight (most members of most schemas; the first of two properties of one name
        // wins, as the first arm would).
        let mut members: Vec<(&str, Option<Member>)> = Vec::new();
        let mut named: BTreeSet<&str> = BTreeSet::new();
        for property in check.properties.iter().filter(|_| check.properties.len() > 1 || check.additional.is_some()) {
            let body = self.property_member(property, quote!(key));
            uses_value |= body.is_some();
            if named.insert(property.name.as_str()) {
                members.push((property.name.as_str(), body));
            }
        }
        // A table of one member would be no shorter than its arm.
        let tabled = members.iter().filter(|(_, body)| matches!(body, Some(Member::Ruled { .. }))).count() > 1;
        let mut typed: BTreeMap<&str, TokenStream> = BTreeMap::new();
        // The members with an arm of their own.
        let mut armed: Vec<(&str, Option<Member>)> = Vec::new();
        for (name, body) in members {
            match body {
                // A member that admits anything needs an arm only to keep it from
                // `additionalProperties`.
                None if check.additional.is_none() => {}
                Some(Member::Ruled { rule, .. }) if tabled => {
                    typed.insert(name, rule);
                }
                body => armed.push((name, body)),
            }
        }
        // One member checked, and the others admit anything: a `match` of one arm would do.
        let lone = match (armed.as_slice(), typed.is_empty(), &check.additional) {
            ([(_, Some(_))], true, None) => armed.pop(),
            _ => None,
        };
        let arms: Vec<TokenStream> = armed
            .into_iter()
            .map(|(name, body)| match body {
                None => quote!(#name => {}),
                Some(body) => {
                    let body = body.arm();
                    quote!(#name => #body)
                }
            })
            .collect();
        // What becomes of the other members (`additionalProperties`), as a call or statements.
        let other = match &check.additional {
            None => None,
            Some(AdditionalCheck::Denied) => Some(Some(Member::Call(quote!(cx.fail_at(path, key, "additionalProperties", "is not allowed"))))),
            Some(AdditionalCheck::Schema(node)) => {
                let hint = format!("{}_value", self.hint);
                let body = self.within(".*", hint, |emitter| emitter.member(quote!(key), node));
                uses_value |= body.is_some();
                Some(body)
            }
        };
        let other_statements = other.clone().flatten().map(Member::statements);
        // With a table, the other members are looked up in it first, and go on to
        // `additionalProperties` only when they are not there.
        let (tabled, other) = if typed.is_empty() {
            let other = other.map(|body| match body {
                Some(body) => {
                    let body = body.arm();
                    quote!(_ => #body)
                }
                None => quote!(_ => {}),
            });
            (None, other)
        } else {
            let entries = typed.iter().map(|(name, rule)| quote!((#name, #rule)));
            let lookup = quote!(report::member(key, value, path, cx, &[#(#entries),*]));
            let body = match other.flatten().map(Member::statements) {
                Some(body) if !body.is_empty() => quote!(if !#lookup { #body }),
                _ => quote!(#lookup;),
            };
            (Some(body.clone()), Some(quote!(_ => { #body })))
        };
        if let Some((name, Some(member))) = lone {
            let body = member.statements();
            rules.push(quote! {
                for (key, value) in object {
                    if key == #name {
                        #body
                    }
                }
            });
        } else if let (Some(body), true) = (&tabled, arms.is_empty()) {
            // Every member is in the table (or another): no `match`.
            rules.push(quote! {
                for (key, value) in object {
                    #body
                }
            });
        } else if arms.is_empty() {
            // Only `additionalProperties`: every member goes through it.
            match &check.additional {
                Some(AdditionalCheck::Denied) => rules.push(quote! {
                    for key in object.keys() {
                        cx.fail_at(path, key, "additionalProperties", "is not allowed");
                    }
                }),
                Some(AdditionalCheck::Schema(_)) => {
                    if let Some(body) = other_statements {
                        rules.push(quote! {
                            for (key, value) in object {
                                #body
                            }
                        });
                    }
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
        if !rules.is_empty() {
            outer.push(quote! {
                if let Some(object) = value.as_object() {
                    #(#rules)*
                }
            });
        }
        quote!(#(#outer)*)
    }

    /// The check of the value against one branch of an `allOf`, `oneOf` or `anyOf`, in place:
    /// a branch adds one level, its members (hoisted) the others.
    fn branch(&mut self, keyword: &str, index: usize, branch: &CheckNode) -> TokenStream {
        let hint = format!("{}_{keyword}_{}", self.hint, index + 1);
        self.within("", hint, |emitter| emitter.root_node(branch))
    }

    fn composition_rules(&mut self, check: &SchemaCheck) -> TokenStream {
        let mut rules = Vec::new();
        for (index, branch) in check.all_of.iter().enumerate() {
            rules.push(self.branch("all_of", index, branch));
        }
        for (branches, exclusive) in [(&check.one_of, true), (&check.any_of, false)] {
            let keyword = if exclusive { "one_of" } else { "any_of" };
            if branches.is_empty() {
                continue;
            }
            if let Some((property, tags)) = &check.discriminator {
                let arms = tags.iter().map(|(tag, index)| {
                    let body = self.branch(keyword, *index, &branches[*index]);
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
            let trials = branches.iter().enumerate().map(|(index, branch)| {
                let body = self.branch(keyword, index, branch);
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
            let hint = format!("{}_not", self.hint);
            let body = self.within("", hint, |emitter| emitter.root_node(not));
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
    let mut rules = Vec::new();
    if c.minimum.is_some() || c.maximum.is_some() {
        let (minimum, maximum) = (opt_f64(c.minimum), opt_f64(c.maximum));
        let mut fields = vec![quote!(minimum: #minimum), quote!(maximum: #maximum)];
        if c.exclusive_minimum {
            fields.push(quote!(exclusive_minimum: true));
        }
        if c.exclusive_maximum {
            fields.push(quote!(exclusive_maximum: true));
        }
        let rest = (fields.len() < 4).then(|| quote!(..report::Bounds::NONE));
        rules.push(quote!(report::bounds(value, path, cx, &report::Bounds { #(#fields,)* #rest });));
    }
    if let Some(multiple) = c.multiple_of {
        let lit = Literal::f64_suffixed(multiple);
        rules.push(quote!(report::multiple_of(value, path, cx, #lit);));
    }
    // Every integer must fit the Rust type the types crate gives it, so that a valid value
    // always parses (a value that does not is a 400 naming its field, not a failed parse).
    if check.kind == Some(JsonKind::Integer) {
        let format = int_format(c.format.as_deref());
        rules.push(quote!(report::fits(value, path, cx, IntFormat::#format);));
    }
    quote!(#(#rules)*)
}

/// The runtime's `IntFormat` variant for an integer's `format`: the Rust integer it must fit.
fn int_format(format: Option<&str>) -> TokenStream {
    match format {
        Some("int8") => quote!(Int8),
        Some("int16") => quote!(Int16),
        Some("int32") => quote!(Int32),
        Some("int64") => quote!(Int64),
        Some("uint8") => quote!(Uint8),
        Some("uint16") => quote!(Uint16),
        Some("uint32") => quote!(Uint32),
        Some("uint64") => quote!(Uint64),
        _ => quote!(Unspecified),
    }
}

#[cfg(test)]
mod tests {
    use super::{validation_operations, validation_schemas};
    use crate::plan::Plan;

    fn schemas_file(spec: &str) -> Result<String, String> {
        let api = crate::lower_str(spec, &crate::Settings::default()).map_err(|err| err.to_string())?;
        let plan = Plan::new(&api);
        let files = validation_schemas(&plan, "t_types", "@generated").map_err(|err| err.message)?;
        files.into_iter().next().map(|(_, text)| text).ok_or_else(|| "no file".to_string())
    }

    fn deepest_indent(text: &str) -> usize {
        text.lines().map(|line| line.len() - line.trim_start().len()).max().unwrap_or_default()
    }

    /// Six objects, each inline in the one before.
    const DEEP: &str = "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Top:\n      type: object\n      properties:\n        a: {type: object, properties: {b: {type: object, properties: {c: {type: object, properties: {d: {type: object, properties: {e: {type: object, properties: {f: {type: integer, maximum: 3}, g: {type: string, maxLength: 2}}}}}}}}}}}\n";

    #[test]
    fn each_nested_object_is_checked_by_a_function_of_its_own() -> Result<(), String> {
        let text = schemas_file(DEEP)?;
        let mut at = 0;
        // Outer functions first, each named after its member and documented with its place.
        for (name, place) in [("a", "$.a"), ("b", "$.a.b"), ("c", "$.a.b.c"), ("d", "$.a.b.c.d"), ("e", "$.a.b.c.d.e")] {
            let doc = format!("/// Checks `{place}`.\n");
            let found = text[at..].find(&doc).ok_or_else(|| format!("no `{doc}` after byte {at}:\n{text}"))?;
            at += found + doc.len();
            assert!(text[at..].trim_start().starts_with(&format!("fn {name}_check<'v>(")), "{text}");
            if name != "a" {
                assert!(text.contains(&format!("report::property_by(\"{name}\", value, path, cx, Rule::Check({name}_check))")), "{text}");
            }
        }
        // Without the functions, each level indented the innermost check six levels more.
        assert!(deepest_indent(&text) <= 48, "indented {} columns:\n{text}", deepest_indent(&text));
        Ok(())
    }

    #[test]
    fn nested_functions_are_named_clear_of_the_checks_they_call_and_of_each_other() -> Result<(), String> {
        let spec = "openapi: 3.0.3\ninfo: {title: Names, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: string, maxLength: 3}\n    Check: {type: string, maxLength: 2}\n    Owner:\n      type: object\n      properties:\n        check: {type: object, properties: {c: {$ref: '#/components/schemas/Check'}, n: {type: integer, maximum: 2}}}\n        check_pet: {type: object, properties: {pet: {$ref: '#/components/schemas/Pet'}, n: {type: integer, maximum: 2}}}\n        value: {type: object, properties: {value: {type: object, properties: {key: {type: string, minLength: 1}}}}}\n        items: {type: array, items: {type: object, properties: {id: {type: integer, minimum: 0}}}}\n";
        let text = schemas_file(spec)?;
        for wanted in [
            // Named `check_pet`, it would hide the `Pet` schema's check that it calls.
            "fn member_check_pet_check<'v>(",
            // Named `check_check`, it would be the `Check` schema's check.
            "fn member_check_check<'v>(",
            "\"pet\" => { report::property_by(key, value, path, cx, Rule::Check(check_pet)",
            "(\"check_pet\", Rule::Check(member_check_pet_check))",
            "fn value_check<'v>(",
            "fn value_check_2<'v>(",
            "report::property_by(\"value\", value, path, cx, Rule::Check(value_check_2)",
            "fn items_item_check<'v>(",
            "(\"items\", Rule::Array(items_item_check))",
        ] {
            // However prettyplease breaks the lines.
            let flat = |text: &str| text.split_whitespace().collect::<String>();
            assert!(flat(&text).contains(&flat(wanted)), "no `{wanted}`:\n{text}");
        }
        Ok(())
    }

    #[test]
    fn operations_with_the_same_nested_body_share_one_function_and_its_nested_ones() -> Result<(), String> {
        let mut spec = String::from("openapi: 3.0.3\ninfo: {title: Shared, version: '1'}\npaths:\n");
        for index in 0..3 {
            spec.push_str(&format!("  /items{index}:\n    get:\n      operationId: list{index}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{page: {{type: object, properties: {{next: {{type: string, maxLength: 9}}}}}}}}}}\n"));
        }
        let api = crate::lower_str(&spec, &crate::Settings::default()).map_err(|err| err.to_string())?;
        let text = validation_operations(&Plan::new(&api), "@generated").map_err(|err| err.message)?;
        assert_eq!(text.matches("One function for the 3 operation checks").count(), 1, "{text}");
        assert_eq!(text.matches("fn page_check<'v>(").count(), 1, "{text}");
        Ok(())
    }
}
