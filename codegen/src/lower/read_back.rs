//! Operations that may answer `204 No Content` instead of the resource.
//!
//! RFC 7644 §3.5.2 lets a server answer a PATCH with either `200` and the
//! resource or `204` and nothing. Callers should get the resource either
//! way, so such an operation is linked to the GET on its path, which the
//! runtime sends after a 204.

use crate::error::{Error, pointer_token};
use crate::ir::{HttpMethod, Operation, Status};
use std::collections::HashMap;

/// Sets [`Operation::read_back`] on every non-GET operation that documents a
/// 204 beside a success body.
///
/// # Errors
/// [`Error::Unsupported`] when no GET on the same path returns that body,
/// since the runtime could not give the caller the resource after a 204.
pub(super) fn link_read_backs(operations: &mut [Operation]) -> Result<(), Error> {
    // The GETs of each path, in document order.
    let mut gets: HashMap<&str, Vec<&Operation>> = HashMap::new();
    for op in operations
        .iter()
        .filter(|op| op.http_method == HttpMethod::Get)
    {
        gets.entry(op.path.as_str()).or_default().push(op);
    }
    let mut links = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        let no_content = op.responses.iter().any(|r| r.status == Status::Code(204));
        let Some(output) = op.success_type().filter(|_| no_content) else {
            continue;
        };
        if op.http_method == HttpMethod::Get {
            continue;
        }
        let reader = gets.get(op.path.as_str()).and_then(|on_path| {
            on_path
                .iter()
                .find(|get| get.success_type() == Some(output))
        });
        match reader {
            Some(get) => links.push((index, get.builder_name.clone())),
            None => {
                return Err(Error::unsupported(
                    format!(
                        "/paths/{}/{}/responses/204",
                        pointer_token(&op.path),
                        op.http_method.as_str().to_ascii_lowercase()
                    ),
                    "a 204 beside a success body needs a GET on the same path returning that body, to read the resource back",
                ));
            }
        }
    }
    for (index, builder) in links {
        if let Some(op) = operations.get_mut(index) {
            op.read_back = Some(builder);
        }
    }
    Ok(())
}
