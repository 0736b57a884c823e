//! `securityDefinitions` to `components/securitySchemes`: basic to http basic, apiKey as it is,
//! oauth2's single `flow` to 3.0's `flows` object.

use super::{local_reference, rewrite_reference, Converter, Place};
use crate::error::{child_pointer, Diagnostic};
use serde_json::{Map, Value};

/// 2.0 flow names, their 3.0 names, and the URLs each flow has.
const FLOWS: &[(&str, &str, &[&str])] = &[
    ("implicit", "implicit", &["authorizationUrl"]),
    ("password", "password", &["tokenUrl"]),
    ("application", "clientCredentials", &["tokenUrl"]),
    ("accessCode", "authorizationCode", &["authorizationUrl", "tokenUrl"]),
];

impl Converter<'_> {
    pub(super) fn security_schemes(&mut self, definitions: &Value) -> Result<Value, Diagnostic> {
        let place = Place::moved("#/components/securitySchemes", "#/securityDefinitions");
        self.record(&place);
        let Value::Object(definitions) = definitions else { return Ok(definitions.clone()) };
        let mut out = Map::new();
        for (name, scheme) in definitions {
            out.insert(name.clone(), self.security_scheme(scheme, &place.child(name))?);
        }
        Ok(Value::Object(out))
    }

    fn security_scheme(&mut self, scheme: &Value, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(scheme) = scheme else { return Ok(scheme.clone()) };
        if let Some(reference) = scheme.get("$ref") {
            let text = local_reference(reference, &child_pointer(&place.old, "$ref"))?;
            return Ok(super::reference_object(rewrite_reference(text)));
        }
        let (kind, fields): (&str, &[&str]) = match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => ("basic", &["type", "description"]),
            Some("apiKey") => ("apiKey", &["type", "description", "name", "in"]),
            Some("oauth2") => ("oauth2", &["type", "description", "flow", "authorizationUrl", "tokenUrl", "scopes"]),
            // Unknown or missing: the 3.0 deserializer names the problem at this place.
            _ => return Ok(Value::Object(scheme.clone())),
        };
        let mut out = Map::new();
        for (key, value) in scheme {
            match key.as_str() {
                "type" => {}
                key if key == "description" || key == "name" || key == "in" || key.starts_with("x-") => {
                    out.insert(key.to_string(), value.clone());
                }
                key if fields.contains(&key) => {}
                _ => self.ignore_field(place, key, "security definition"),
            }
        }
        match kind {
            "basic" => {
                out.insert("type".into(), Value::from("http"));
                out.insert("scheme".into(), Value::from("basic"));
            }
            "oauth2" => {
                out.insert("type".into(), Value::from("oauth2"));
                out.insert("flows".into(), self.oauth2_flows(scheme, place)?);
            }
            _ => {
                out.insert("type".into(), Value::from(kind));
            }
        }
        Ok(Value::Object(out))
    }

    /// 2.0 describes one flow per definition, with its URLs beside `flow`.
    fn oauth2_flows(&mut self, scheme: &Map<String, Value>, place: &Place) -> Result<Value, Diagnostic> {
        let Some(flow) = scheme.get("flow") else {
            return Err(Diagnostic::invalid(
                &place.old,
                "an oauth2 security definition needs a `flow`: implicit, password, application or accessCode",
            ));
        };
        let flow_at = child_pointer(&place.old, "flow");
        let Some((_, name, urls)) = FLOWS.iter().find(|(old, _, _)| Some(*old) == flow.as_str()) else {
            return Err(Diagnostic::invalid(
                &flow_at,
                format!("unknown oauth2 flow {flow}; Swagger 2.0 defines implicit, password, application and accessCode"),
            ));
        };
        let flow_place = place.wrapped(&["flows", name]);
        self.record(&flow_place);
        let mut out = Map::new();
        for url in *urls {
            if let Some(value) = scheme.get(*url) {
                out.insert(url.to_string(), value.clone());
            }
        }
        out.insert("scopes".into(), scheme.get("scopes").cloned().unwrap_or_else(|| Value::Object(Map::new())));
        let mut flows = Map::new();
        flows.insert(name.to_string(), Value::Object(out));
        Ok(Value::Object(flows))
    }
}
