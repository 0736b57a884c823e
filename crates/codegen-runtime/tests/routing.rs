//! Routing: literal and templated paths, 405 with the allowed methods, HEAD through GET, and
//! path parameters' percent-decoding.
#![cfg(feature = "server")]

use axum::http::Method;
use codegen_runtime::server::{percent_decode, template_parts, Found, Operation, Part, Routes};
use std::sync::LazyLock;

const fn spec(method: &'static str, route: &'static str) -> Operation {
    Operation { id: "", method, route, responses: &[] }
}

/// The operations of a small spec, in no helpful order: the routes put the most literal text
/// first themselves. The number of each is its place here.
const SPECS: &[Operation] = &[
    spec("GET", "/conversations/{conversationId}/messages/{id}"),
    spec("GET", "/conversations/{id}.json"),
    spec("GET", "/conversations.json"),
    spec("POST", "/conversations/token.json"),
    spec("PATCH", "/conversations/{id}.json"),
    spec("POST", "/conversations.json"),
    spec("HEAD", "/ping"),
    spec("GET", "/ping"),
];

static ROUTES: LazyLock<Routes<usize>> = LazyLock::new(|| Routes::new(SPECS.iter().enumerate()));

fn find(method: &Method, path: &str) -> Found<usize> {
    ROUTES.find(method, path)
}

fn operation(method: Method, path: &str) -> (usize, Vec<String>) {
    match find(&method, path) {
        Found::Operation(operation, params) => (operation, params),
        Found::MethodNotAllowed(allowed) => panic!("{method} {path}: 405, allowed {allowed:?}"),
        Found::NotFound => panic!("{method} {path}: 404"),
        Found::BadPath => panic!("{method} {path}: bad path"),
    }
}

fn allowed(method: Method, path: &str) -> Vec<&'static str> {
    match find(&method, path) {
        Found::MethodNotAllowed(allowed) => allowed,
        _ => panic!("{method} {path}: expected 405"),
    }
}

#[test]
fn literal_paths_win_over_templates() {
    assert_eq!(operation(Method::POST, "/conversations/token.json"), (3, vec![]));
    assert_eq!(operation(Method::GET, "/conversations.json"), (2, vec![]));
    assert_eq!(operation(Method::POST, "/conversations.json"), (5, vec![]));
    assert_eq!(operation(Method::GET, "/conversations/tokens.json"), (1, vec!["tokens".to_string()]));
    assert_eq!(allowed(Method::GET, "/conversations/token.json"), ["POST"], "the concrete path decides");
}

#[test]
fn a_parameter_can_share_its_segment_with_literal_text() {
    assert_eq!(operation(Method::GET, "/conversations/c0a8e5f2.json"), (1, vec!["c0a8e5f2".to_string()]));
    assert_eq!(operation(Method::PATCH, "/conversations/a.b.json"), (4, vec!["a.b".to_string()]));
    assert_eq!(operation(Method::GET, "/conversations/7/messages/9"), (0, vec!["7".to_string(), "9".to_string()]));
    // A parameter is one or more characters and never `/`.
    for path in ["/conversations/.json", "/conversations/a/b.json", "/conversations/7/messages/", "/conversations"] {
        assert!(matches!(find(&Method::GET, path), Found::NotFound), "{path}");
    }
}

#[test]
fn other_methods_are_a_405_naming_the_allowed_ones() {
    assert_eq!(allowed(Method::DELETE, "/conversations.json"), ["GET", "POST", "HEAD"]);
    assert_eq!(allowed(Method::PUT, "/conversations/7.json"), ["GET", "PATCH", "HEAD"]);
    // The most specific template decides: `/conversations/{id}.json` would take PATCH, but the
    // concrete path only has POST.
    assert_eq!(allowed(Method::PATCH, "/conversations/token.json"), ["POST"]);
    assert_eq!(allowed(Method::POST, "/ping"), ["HEAD", "GET"]);
}

#[test]
fn head_is_answered_by_get_unless_the_spec_has_head() {
    assert_eq!(operation(Method::HEAD, "/conversations.json"), (2, vec![]));
    assert_eq!(operation(Method::HEAD, "/conversations/7.json"), (1, vec!["7".to_string()]));
    assert_eq!(operation(Method::HEAD, "/ping"), (6, vec![]));
    assert_eq!(allowed(Method::HEAD, "/conversations/token.json"), ["POST"]);
}

#[test]
fn path_parameters_are_percent_decoded() {
    assert_eq!(operation(Method::GET, "/conversations/a%20b%2Fc.json"), (1, vec!["a b/c".to_string()]));
    assert_eq!(operation(Method::GET, "/conversations/%C3%A9t%c3%a9.json"), (1, vec!["été".to_string()]));
    assert_eq!(operation(Method::GET, "/conversations/a+b.json"), (1, vec!["a+b".to_string()]), "`+` is not a space");
    for path in
        ["/conversations/%FF%FE.json", "/conversations/%zz.json", "/conversations/%4.json", "/conversations/%.json"]
    {
        assert!(matches!(find(&Method::GET, path), Found::BadPath), "{path}");
    }
}

#[test]
fn percent_decode_refuses_broken_escapes_and_non_utf8() {
    assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
    assert_eq!(percent_decode("100%25").as_deref(), Some("100%"));
    assert_eq!(percent_decode("%e2%82%ac").as_deref(), Some("€"));
    for broken in ["%", "%2", "%g0", "%+1", "a%2", "%C3"] {
        assert_eq!(percent_decode(broken), None, "{broken}");
    }
}

#[test]
fn no_route_is_a_404() {
    assert!(matches!(find(&Method::GET, "/"), Found::NotFound));
    let empty: Routes<usize> = Routes::new([]);
    assert!(matches!(empty.find(&Method::GET, "/conversations.json"), Found::NotFound));
}

#[test]
fn two_parameters_can_share_a_segment() {
    const TWO: &[Operation] = &[spec("GET", "/range/{start}-{end}"), spec("GET", "/files/{name}.{ext}")];
    let routes = Routes::new(TWO.iter().enumerate());
    let params = |path: &str| match routes.find(&Method::GET, path) {
        Found::Operation(_, params) => params,
        _ => panic!("{path}: no operation"),
    };
    assert_eq!(params("/range/3-5"), ["3", "5"]);
    assert_eq!(params("/files/report.json"), ["report", "json"]);
    // Where the literal text appears more than once, the last parameter takes the shortest
    // tail that lets the route match: a file name may have dots, an extension has none.
    assert_eq!(params("/files/report.2024.json"), ["report.2024", "json"]);
    assert!(matches!(routes.find(&Method::GET, "/range/3-"), Found::NotFound));
}

#[test]
fn templates_split_into_literal_text_and_parameters() {
    assert_eq!(template_parts("/a/{b}.json"), [Part::Literal("/a/"), Part::Param, Part::Literal(".json")]);
    assert_eq!(template_parts("{x}{y}"), [Part::Param, Part::Param]);
    assert_eq!(template_parts("/plain"), [Part::Literal("/plain")]);
    // RFC 6570 operators are still one parameter each.
    assert_eq!(
        template_parts("/f{.format}/{ids*}"),
        [Part::Literal("/f"), Part::Param, Part::Literal("/"), Part::Param]
    );
    assert_eq!(template_parts(""), []);
}

/// Several parameters in one segment: each as long as the rest allows, as a left-to-right
/// search would split them, and never an empty one.
#[test]
fn several_parameters_share_a_segment() {
    let specs: &'static [Operation] = Box::leak(Box::new([
        spec("GET", "/compare/{base}...{head}"),
        spec("GET", "/files/{name}.{ext}.json"),
        spec("GET", "/pair/{a}{b}"),
        spec("GET", "/v/{a}-{b}-{c}/x"),
    ]));
    let routes = Routes::new(specs.iter().enumerate());
    let params = |path: &str| match routes.find(&Method::GET, path) {
        Found::Operation(operation, params) => Some((operation, params)),
        _ => None,
    };
    let strings = |items: &[&str]| items.iter().map(|item| item.to_string()).collect::<Vec<_>>();
    assert_eq!(params("/compare/main...topic"), Some((0, strings(&["main", "topic"]))));
    assert_eq!(params("/compare/a...b...c"), Some((0, strings(&["a...b", "c"]))));
    assert_eq!(params("/compare/a....b"), Some((0, strings(&["a.", "b"]))));
    assert_eq!(params("/compare/...b"), None, "an empty base");
    assert_eq!(params("/compare/a..."), None, "an empty head");
    assert_eq!(params("/files/a.b.c.json"), Some((1, strings(&["a.b", "c"]))));
    assert_eq!(params("/files/é.ü.json"), Some((1, strings(&["é", "ü"]))));
    assert_eq!(params("/files/.json"), None);
    assert_eq!(params("/pair/xyz"), Some((2, strings(&["xy", "z"]))));
    assert_eq!(params("/pair/x"), None, "two parameters need two characters");
    assert_eq!(params("/pair/é"), None, "one character, however many bytes");
    assert_eq!(params("/v/1-2-3-4/x"), Some((3, strings(&["1-2", "3", "4"]))));
    assert_eq!(params("/v/1-2/x"), None);
    assert_eq!(params("/v/1-2-3/x/y"), None, "one segment too many");
}

/// A long path of separators: matched in one pass (a backtracking match took minutes of CPU
/// for a 64 KB path), with the same answer.
#[test]
fn long_ambiguous_paths_are_matched() {
    let specs: &'static [Operation] =
        Box::leak(Box::new([spec("GET", "/compare/{base}...{head}"), spec("GET", "/c/{id}.json")]));
    let routes = Routes::new(specs.iter().enumerate());
    let dots = ".".repeat(64 * 1024);
    match routes.find(&Method::GET, &format!("/compare/{dots}")) {
        Found::Operation(0, params) => assert_eq!((params[0].len(), params[1].as_str()), (dots.len() - 4, ".")),
        _ => panic!("no match"),
    }
    assert!(matches!(routes.find(&Method::GET, &format!("/compare/{dots}/x")), Found::NotFound));
    match routes.find(&Method::GET, &format!("/c/{dots}.json")) {
        Found::Operation(1, params) => assert_eq!(params, std::slice::from_ref(&dots)),
        _ => panic!("no match"),
    }
}
