//! Configuring a client from `GENESYS_*` environment variables, the way the
//! CLI, the examples and most deployments (containers, CI jobs) pass them.

use crate::{Client, ClientBuilder, Error, Region};

/// The org's region: `us-east-1`, `mypurecloud.ie`, `api.mypurecloud.de`, …
pub const ENV_REGION: &str = "GENESYS_REGION";
/// The OAuth client id (grant type "Client Credentials").
pub const ENV_CLIENT_ID: &str = "GENESYS_CLIENT_ID";
/// The OAuth client secret.
pub const ENV_CLIENT_SECRET: &str = "GENESYS_CLIENT_SECRET";
/// A ready access token, used as is instead of the client credentials.
pub const ENV_TOKEN: &str = "GENESYS_TOKEN";

impl Client {
    /// A client for the org the environment names; see
    /// [`ClientBuilder::from_env`] for the variables read.
    ///
    /// ```no_run
    /// // GENESYS_REGION=eu-west-1 GENESYS_CLIENT_ID=… GENESYS_CLIENT_SECRET=… cargo run
    /// let client = scim_sdk::Client::from_env()?;
    /// let page = client.get_scim_v2_users().count(1).send()?;
    /// # let _ = page;
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`ClientBuilder::from_env`] and [`ClientBuilder::build`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }
}

impl ClientBuilder {
    /// A builder configured from the environment, to adjust further before
    /// [`build`](Self::build):
    ///
    /// | variable | |
    /// |---|---|
    /// | `GENESYS_REGION` | required: the org's region, as [`Region`] parses it (`us-east-1`, `mypurecloud.ie`, …) |
    /// | `GENESYS_CLIENT_ID`, `GENESYS_CLIENT_SECRET` | an OAuth client ("Client Credentials" grant) |
    /// | `GENESYS_TOKEN` | or a ready access token, which wins over the client |
    ///
    /// An empty variable counts as unset. Nothing is sent.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// let client = scim_sdk::ClientBuilder::from_env()?
    ///     .timeout(Duration::from_secs(20))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the variable that is missing or
    /// unusable; its message never quotes a secret.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with the variables looked up by `get`
    /// instead of in the process environment: from a configuration file, a
    /// secret store, or a test.
    ///
    /// ```
    /// use scim_sdk::ClientBuilder;
    /// let vars = [("GENESYS_REGION", "eu-west-1"), ("GENESYS_TOKEN", "token")];
    /// let lookup = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
    /// let client = ClientBuilder::from_vars(lookup)?.build()?;
    /// assert_eq!(client.base_url(), "https://api.mypurecloud.ie");
    ///
    /// let err = ClientBuilder::from_vars(|_| None).unwrap_err();
    /// assert!(err.message().contains("GENESYS_REGION"));
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`from_env`](Self::from_env).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let region = get(ENV_REGION).ok_or_else(|| {
            missing(format!(
                "{ENV_REGION} is not set: set it to the org's region, such as us-east-1"
            ))
        })?;
        let region: Region = region
            .parse()
            .map_err(|e: Error| missing(format!("{ENV_REGION}: {}", e.message())))?;
        let builder = Client::builder().region(region);
        if let Some(token) = get(ENV_TOKEN) {
            return Ok(builder.bearer(token));
        }
        match (get(ENV_CLIENT_ID), get(ENV_CLIENT_SECRET)) {
            (Some(id), Some(secret)) => Ok(builder.client_credentials(id, secret)),
            (Some(_), None) => Err(missing(format!(
                "{ENV_CLIENT_SECRET} is not set, but {ENV_CLIENT_ID} is: set both, or {ENV_TOKEN}"
            ))),
            (None, Some(_)) => Err(missing(format!(
                "{ENV_CLIENT_ID} is not set, but {ENV_CLIENT_SECRET} is: set both, or {ENV_TOKEN}"
            ))),
            (None, None) => Err(missing(format!(
                "no credentials: set {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET}, or {ENV_TOKEN}"
            ))),
        }
    }
}

fn missing(message: String) -> Error {
    Error::invalid_input("client", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [(&str, &str); 3] = [
        (ENV_REGION, "eu-central-1"),
        (ENV_CLIENT_ID, "client-id"),
        (ENV_CLIENT_SECRET, "secret-value-42"),
    ];

    fn from(vars: &[(&str, &str)]) -> Result<Client, Error> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ClientBuilder::from_vars(|name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })?
        .build()
    }

    fn without(name: &str) -> Vec<(&'static str, &'static str)> {
        ALL.iter().copied().filter(|(k, _)| *k != name).collect()
    }

    #[test]
    fn all_variables_set_give_a_client_for_the_region() {
        let client = from(&ALL).expect("client");
        assert_eq!(client.base_url(), "https://api.mypurecloud.de");
        assert!(format!("{client:?}").contains("client-id"));
        assert!(!format!("{client:?}").contains("secret-value-42"));
    }

    #[test]
    fn each_missing_variable_is_named() {
        for (name, also) in [
            (ENV_REGION, "us-east-1"),
            (ENV_CLIENT_ID, ENV_TOKEN),
            (ENV_CLIENT_SECRET, ENV_TOKEN),
        ] {
            let err = from(&without(name)).expect_err(name);
            assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
            let message = err.message();
            assert!(message.contains(name), "{name}: {message}");
            assert!(message.contains(also), "{name}: {message}");
            assert!(!message.contains("secret-value-42"), "{message}");
        }
        let err = from(&[(ENV_REGION, "us-east-1")]).expect_err("no credentials");
        assert!(err.message().contains(ENV_CLIENT_ID) && err.message().contains(ENV_TOKEN));
    }

    #[test]
    fn a_token_wins_and_empty_counts_as_unset() {
        let client = from(&[
            (ENV_REGION, "mypurecloud.ie"),
            (ENV_TOKEN, "token"),
            (ENV_CLIENT_ID, ""),
        ])
        .expect("client");
        assert_eq!(client.base_url(), "https://api.mypurecloud.ie");
        let err = from(&[(ENV_REGION, " "), (ENV_TOKEN, "token")]).expect_err("blank");
        assert!(err.message().contains(ENV_REGION));
    }

    #[test]
    fn an_unknown_region_is_named() {
        let err = from(&[(ENV_REGION, "mars-north-1"), (ENV_TOKEN, "t")]).expect_err("region");
        assert!(err.message().starts_with("GENESYS_REGION: "), "{err}");
    }
}
