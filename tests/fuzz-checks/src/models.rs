//! The SDK's decoding: response models from bytes, and error answers.

use scim_sdk::models::{
    ScimConfigResourceType, ScimConfigResourceTypesListResponse, ScimError, ScimGroupListResponse,
    ScimServiceProviderConfig, ScimUserListResponse, ScimV2Group, ScimV2SchemaDefinition,
    ScimV2SchemaListResponse, ScimV2User,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decodes `data` as every model an operation returns (and the SCIM error
/// body). What decodes must encode, and decode again to an equal value: a
/// GET followed by a PUT loses nothing.
///
/// ```
/// scim_fuzz_checks::decode_models(br#"{"userName":"a","x-unknown":[1.5,{"b":null}]}"#);
/// ```
pub fn decode_models(data: &[u8]) {
    round_trip::<ScimV2User>(data);
    round_trip::<ScimV2Group>(data);
    round_trip::<ScimUserListResponse>(data);
    round_trip::<ScimGroupListResponse>(data);
    round_trip::<ScimConfigResourceType>(data);
    round_trip::<ScimConfigResourceTypesListResponse>(data);
    round_trip::<ScimServiceProviderConfig>(data);
    round_trip::<ScimV2SchemaDefinition>(data);
    round_trip::<ScimV2SchemaListResponse>(data);
    round_trip::<ScimError>(data);
}

fn round_trip<T: DeserializeOwned + Serialize + PartialEq>(data: &[u8]) {
    let name = std::any::type_name::<T>();
    let Ok(first) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let encoded = match serde_json::to_vec(&first) {
        Ok(bytes) => bytes,
        Err(e) => panic!("{name} decoded but does not encode: {e}"),
    };
    let second = match serde_json::from_slice::<T>(&encoded) {
        Ok(v) => v,
        Err(e) => panic!(
            "{name} re-encoded as {} does not decode: {e}",
            String::from_utf8_lossy(&encoded)
        ),
    };
    if first != second {
        let again = serde_json::to_string(&second).unwrap_or_default();
        panic!(
            "{name} changed on a round trip:\n first: {}\nsecond: {again}",
            String::from_utf8_lossy(&encoded)
        );
    }
}

/// Builds the error a call gets for an answer made of `data`: two bytes of
/// status, a line used as the `Retry-After` and correlation id headers, and
/// the rest as body. Whatever the server sends, the error's text stays on
/// one printable line of bounded length and `code()` stays a short label.
///
/// ```
/// scim_fuzz_checks::scim_error(b"\x01\x90 5\n{\"status\":400,\"scimType\":\"x\\u001b[31m\"}");
/// ```
pub fn scim_error(data: &[u8]) {
    let [hi, lo, rest @ ..] = data else {
        return;
    };
    let status = 100 + u16::from_be_bytes([*hi, *lo]) % 900;
    let (line, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&rest[..0], rest),
    };
    let line = String::from_utf8_lossy(line).into_owned();
    let headers = vec![
        ("Retry-After".to_owned(), line.clone()),
        ("ININ-Correlation-Id".to_owned(), line),
    ];
    let err = scim_sdk::fuzzing::http_error(status, headers, body.to_vec());

    assert_eq!(err.status(), Some(status), "the status is kept");
    let shown = err.to_string();
    assert_printable("Display", &shown, 4096);
    assert_printable("message()", &err.message(), 1100);
    if let Some(id) = err.correlation_id() {
        assert_printable("correlation_id()", id, 70);
    }
    if let Some(detail) = err.detail() {
        assert_printable("detail()", detail, 1100);
    }
    let code = err.code();
    assert!(
        code.len() <= 40 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "code() is not a short label: {code:?}"
    );
    let _ = format!("{err:?}");
    let _ = (err.is_retryable(), err.is_not_found(), err.is_conflict());
    let _ = err.is_version_mismatch();
}

fn assert_printable(what: &str, text: &str, max_chars: usize) {
    assert!(
        !text.chars().any(char::is_control),
        "{what} carries a control character: {text:?}"
    );
    assert!(
        text.chars().count() <= max_chars,
        "{what} is {} characters long",
        text.chars().count()
    );
}
