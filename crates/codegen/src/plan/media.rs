//! The media types a request body or response lists that the generated code does not use: one
//! warning per media type, so that a spec offering YAML and protobuf beside JSON on every
//! operation (Kubernetes) says so a few times, not on every operation.

use super::{BodyKind, OperationPlan};
use crate::error::Diagnostic;
use std::collections::BTreeMap;

/// One warning per media type left out, in order of first appearance, at the first place that
/// lists it.
pub fn unused_media_types<'a>(operations: &[OperationPlan<'a>]) -> Vec<Diagnostic> {
    // Media type -> (order of first appearance, first place, how many bodies and responses
    // list it unused).
    let mut unused: BTreeMap<&'a str, (usize, &'a str, usize)> = BTreeMap::new();
    let mut order = 0;
    for op in operations {
        let body = op.body.as_ref().and_then(|body| {
            let content = &body.body.content;
            let used: Vec<&str> = match &body.kind {
                BodyKind::Typed(typed) => {
                    let form = typed.form.as_ref().and_then(|_| content.iter().map(|m| m.media_type.as_str()).find(|m| super::body::is_form(m)));
                    std::iter::once(typed.media.media_type.as_str()).chain(form).collect()
                }
                BodyKind::Multipart(multipart) => vec![multipart.media.media_type.as_str()],
                // Raw and binary bodies are sent and read as the bytes of whatever type they say.
                BodyKind::Raw(_) | BodyKind::Binary(_) => return None,
            };
            Some((content, used))
        });
        let responses = op.responses.iter().map(|response| (&response.response.content, response.media.clone()));
        for (content, used) in body.into_iter().chain(responses) {
            for media in content.iter().filter(|media| !used.iter().any(|used| same_family(used, &media.media_type))) {
                order += 1;
                unused.entry(media.media_type.as_str()).or_insert((order, media.origin.as_str(), 0)).2 += 1;
            }
        }
    }
    let mut found: Vec<(usize, &str, &str, usize)> =
        unused.into_iter().map(|(media, (order, at, count))| (order, media, at, count)).collect();
    found.sort_unstable();
    found
        .into_iter()
        .map(|(_, media, at, count)| {
            let listed = match count {
                1 => "one request body or response lists it".to_string(),
                _ => format!("{count} request bodies and responses list it"),
            };
            Diagnostic::unsupported(
                at,
                format!(
                    "`{media}` is not generated: {listed} (here first) beside another media type, which the \
                     generated server and client use instead; the server neither accepts nor answers `{media}` (the \
                     generated code uses JSON first, then a form, multipart or an event stream, else the first \
                     media type listed)"
                ),
            )
        })
        .collect()
}

/// Whether the generated code reads `other` as it reads `used`: the same media type, or both
/// JSON (`application/json`, `+json`, `text/json`: the server accepts any of them for a JSON
/// body, and the client decodes a JSON response whatever its `Content-Type`), or both event
/// streams. A parameter other than `charset` makes another format of the same type
/// (`application/json;stream=watch` is a stream of JSON values, not one).
fn same_family(used: &str, other: &str) -> bool {
    use super::body::{is_event_stream, is_json};
    let plain = |media: &str| {
        media.split(';').skip(1).all(|parameter| {
            let name = parameter.split('=').next().unwrap_or_default().trim();
            name.is_empty() || name.eq_ignore_ascii_case("charset")
        })
    };
    used == other
        || (plain(used) && plain(other) && ((is_json(used) && is_json(other)) || (is_event_stream(used) && is_event_stream(other))))
}


#[cfg(test)]
mod tests {
    use crate::plan::Plan;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Media, version: '1'}
paths:
  /things:
    post:
      operationId: create
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/Thing'}}
          application/merge-patch+json: {schema: {$ref: '#/components/schemas/Thing'}}
          application/xml: {schema: {$ref: '#/components/schemas/Thing'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Thing'}}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: string}}
            application/yaml: {schema: {type: string}}
            application/hal+json: {schema: {type: string}}
            application/json; charset=utf-8: {schema: {type: string}}
            application/json;stream=watch: {schema: {type: string}}
            text/event-stream: {schema: {type: string}}
    put:
      operationId: upload
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          text/csv: {schema: {type: string}}
      responses:
        '204': {description: done}
        default:
          description: other
          content:
            application/yaml: {schema: {type: string}}
            text/html: {schema: {type: string}}
components:
  schemas:
    Thing: {type: object, properties: {a: {type: string}}}
"#;

    #[test]
    fn each_media_type_left_out_is_one_warning_at_its_first_place() -> Result<(), String> {
        let api = crate::lower_str(SPEC, &crate::Settings::default()).map_err(|err| err.to_string())?;
        let plan = Plan::new(&api);
        let said: Vec<String> = plan.warnings.iter().map(|warning| format!("{:?}: {}", warning.location, warning.message)).collect();
        // Operations in method order (`put` before `post`). HTML beside the YAML a response
        // lists first; XML beside JSON and a form of the same schema (both used); YAML beside
        // JSON and events (YAML used elsewhere does not count); a stream of JSON values beside
        // JSON. Nothing for other JSON types (read as the JSON one, `charset` or not), nor for
        // the raw request body, read as the bytes of whatever type it says.
        let expected = [
            ("#/paths/~1things/put/responses/default/content/text~1html", "`text/html`"),
            ("#/paths/~1things/post/requestBody/content/application~1xml", "`application/xml`"),
            ("#/paths/~1things/post/responses/200/content/application~1yaml", "`application/yaml`"),
            ("#/paths/~1things/post/responses/200/content/application~1json;stream=watch", "`application/json;stream=watch`"),
        ];
        assert_eq!(said.len(), expected.len(), "{said:#?}");
        for (said, (pointer, media)) in said.iter().zip(expected) {
            assert!(said.contains(&format!("\"{pointer}\"")), "{said}");
            assert!(said.contains(&format!("{media} is not generated: one request body or response lists it")), "{said}");
        }
        Ok(())
    }

    /// Swagger 2.0 lists media types once for the whole document (`produces`) or an operation
    /// (`consumes`): the warning points at the entry of that list.
    #[test]
    fn a_swagger_media_type_is_said_where_its_list_names_it() -> Result<(), String> {
        let spec = r#"
swagger: '2.0'
info: {title: Media, version: '1'}
produces: [application/json, application/xml]
paths:
  /a:
    get:
      responses:
        '200': {description: ok, schema: {type: string}}
  /b:
    post:
      consumes: [application/json, text/csv]
      parameters:
        - {name: body, in: body, schema: {type: object, properties: {a: {type: string}}}}
      responses:
        '200': {description: ok, schema: {type: string}}
"#;
        let (api, _) = crate::lower_with_warnings(spec, &crate::Settings::default()).map_err(|err| err.to_string())?;
        let plan = Plan::new(&api);
        let said: Vec<String> = plan.warnings.iter().map(|warning| format!("{:?}: {}", warning.location, warning.message)).collect();
        assert_eq!(said.len(), 2, "{said:#?}");
        assert!(said[0].starts_with("Pointer(\"#/produces/1\"): `application/xml` is not generated: 2 request bodies and responses list it"), "{said:#?}");
        assert!(said[1].starts_with("Pointer(\"#/paths/~1b/post/consumes/1\"): `text/csv` is not generated: one request body or response lists it"), "{said:#?}");
        Ok(())
    }
}
