//! The requests a sync step sends, each noted as an [`Attempt`] in the
//! ledger of the item it belongs to, with the status and correlation id of
//! its answer: what the audit trail is written from, with no tracing
//! hook in between.

use crate::progress::{Attempt, MemberResult};
use scim_sdk::models::{ScimV2CreateUser, ScimV2Group, ScimV2PatchRequest, ScimV2User};
use scim_sdk::{Client, Filter, Response};
use std::cell::RefCell;

/// The SDK's error: what one request fails with.
pub(crate) type ApiError = scim_sdk::Error;

/// What a read found: `None` for a `404`, the resource being gone.
pub(crate) fn absent_on_404<T>(read: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
    match read {
        Ok(found) => Ok(Some(found)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// What one try of an item sent and did, noted as it goes. A try runs on
/// one worker thread, so plain cells do.
#[derive(Default)]
pub(crate) struct Ledger {
    attempts: RefCell<Vec<Attempt>>,
    members: RefCell<Vec<MemberResult>>,
    id: RefCell<Option<String>>,
    name: RefCell<Option<String>>,
}

impl Ledger {
    /// Notes the id of the user or group the item writes.
    pub(crate) fn written(&self, id: &str) {
        *self.id.borrow_mut() = Some(id.to_owned());
    }

    /// Notes the userName of the account written, for an item known only
    /// by its id.
    pub(crate) fn named(&self, user_name: &str) {
        *self.name.borrow_mut() = Some(user_name.to_owned());
    }

    /// The userName noted, if any.
    pub(crate) fn name(&self) -> Option<String> {
        self.name.borrow().clone()
    }

    /// Notes what became of a member.
    pub(crate) fn member(&self, result: MemberResult) {
        self.members.borrow_mut().push(result);
    }

    /// What was noted: attempts, members, id.
    pub(crate) fn into_parts(self) -> (Vec<Attempt>, Vec<MemberResult>, Option<String>) {
        (
            self.attempts.into_inner(),
            self.members.into_inner(),
            self.id.into_inner(),
        )
    }
}

/// A client whose requests are noted in a ledger (none for the toolkit's
/// own calls, such as [`update_user`](crate::update_user)).
#[derive(Clone, Copy)]
pub(crate) struct Wire<'a> {
    pub(crate) client: &'a Client,
    ledger: Option<&'a Ledger>,
}

impl<'a> Wire<'a> {
    pub(crate) fn new(client: &'a Client) -> Wire<'a> {
        Wire {
            client,
            ledger: None,
        }
    }

    pub(crate) fn noting(client: &'a Client, ledger: &'a Ledger) -> Wire<'a> {
        Wire {
            client,
            ledger: Some(ledger),
        }
    }

    /// Notes the answer to one request (or its failure) and passes it on.
    fn note<T>(
        &self,
        method: &'static str,
        answer: Result<Response<T>, ApiError>,
    ) -> Result<Response<T>, ApiError> {
        if let Some(ledger) = self.ledger {
            let (status, correlation_id) = match &answer {
                Ok(r) => (Some(r.status()), r.correlation_id().map(str::to_owned)),
                Err(e) => (e.status(), e.correlation_id().map(str::to_owned)),
            };
            ledger.attempts.borrow_mut().push(Attempt {
                method,
                status,
                correlation_id,
            });
        }
        answer
    }

    pub(crate) fn get_user(&self, id: &str) -> Result<Response<ScimV2User>, ApiError> {
        self.note("GET", self.client.get_scim_v2_user(id).send_with_response())
    }

    pub(crate) fn get_group(&self, id: &str) -> Result<Response<ScimV2Group>, ApiError> {
        self.note(
            "GET",
            self.client.get_scim_v2_group(id).send_with_response(),
        )
    }

    pub(crate) fn patch_user(
        &self,
        id: &str,
        body: ScimV2PatchRequest,
        version: &str,
    ) -> Result<ScimV2User, ApiError> {
        let sent = self.client.patch_scim_v2_user(id, body).if_match(version);
        self.note("PATCH", sent.send_with_response())
            .map(Response::into_body)
    }

    pub(crate) fn patch_group(
        &self,
        id: &str,
        body: ScimV2PatchRequest,
        version: &str,
    ) -> Result<ScimV2Group, ApiError> {
        let sent = self.client.patch_scim_v2_group(id, body).if_match(version);
        self.note("PATCH", sent.send_with_response())
            .map(Response::into_body)
    }

    pub(crate) fn create_user(&self, body: ScimV2CreateUser) -> Result<ScimV2User, ApiError> {
        let sent = self.client.post_scim_v2_users(body);
        self.note("POST", sent.send_with_response())
            .map(Response::into_body)
    }

    pub(crate) fn delete_user(&self, id: &str, version: &str) -> Result<(), ApiError> {
        let sent = self.client.delete_scim_v2_user(id).if_match(version);
        self.note("DELETE", sent.send_with_response()).map(|_| ())
    }

    /// The user whose `attribute` is `value`, active or not: active users
    /// first, then inactive ones (Genesys lists the inactive only when the
    /// filter names `active`).
    pub(crate) fn find_user(
        &self,
        attribute: &str,
        value: &str,
    ) -> Result<Option<ScimV2User>, ApiError> {
        for active in [true, false] {
            let filter = Filter::eq(attribute, value)?.and(Filter::eq("active", active)?);
            let page = self
                .client
                .get_scim_v2_users()
                .filter(filter)
                .count(1)
                .send_with_response();
            let found = self.note("GET", page)?.into_body().resources;
            if let Some(user) = found.unwrap_or_default().into_iter().next() {
                return Ok(Some(user));
            }
        }
        Ok(None)
    }
}
