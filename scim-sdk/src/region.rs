//! Genesys Cloud regions and their API and login hosts.

use crate::Error;

/// A Genesys Cloud region. Each one has its own domain: the API is at
/// `https://api.<domain>` and OAuth tokens come from
/// `https://login.<domain>/oauth/token`.
///
/// Pass one to [`ClientBuilder::region`](crate::ClientBuilder::region), or
/// parse the AWS-style name or the domain your organisation uses:
///
/// ```
/// use scim_sdk::Region;
///
/// let r: Region = "eu-west-1".parse()?;
/// assert_eq!(r, Region::EuWest1);
/// assert_eq!("api.mypurecloud.ie".parse::<Region>()?, Region::EuWest1);
/// assert_eq!(r.api_base_url(), "https://api.mypurecloud.ie");
/// assert_eq!(r.token_url(), "https://login.mypurecloud.ie/oauth/token");
/// # Ok::<(), scim_sdk::Error>(())
/// ```
///
/// The list follows Genesys' "Platform API: regions" page and the region
/// tables of the official SDKs. `EuscDeEast1` (the EU sovereign cloud) is the
/// newest and was still being rolled out when this list was written; new
/// regions get new variants, hence `#[non_exhaustive]`. A region missing from
/// this list can always be reached with
/// [`base_url`](crate::ClientBuilder::base_url) and
/// [`token_url`](crate::ClientBuilder::token_url).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// Americas (US East, Virginia): `mypurecloud.com`. The default.
    UsEast1,
    /// Americas (US East 2, FedRAMP): `use2.us-gov-pure.cloud`.
    UsEast2,
    /// Americas (US West, Oregon): `usw2.pure.cloud`.
    UsWest2,
    /// Americas (Canada): `cac1.pure.cloud`.
    CaCentral1,
    /// Americas (São Paulo): `sae1.pure.cloud`.
    SaEast1,
    /// Americas (Mexico): `mxc1.pure.cloud`.
    MxCentral1,
    /// EMEA (Dublin): `mypurecloud.ie`.
    EuWest1,
    /// EMEA (London): `euw2.pure.cloud`.
    EuWest2,
    /// EMEA (Frankfurt): `mypurecloud.de`.
    EuCentral1,
    /// EMEA (Zurich): `euc2.pure.cloud`.
    EuCentral2,
    /// EMEA (EU sovereign cloud, Germany): `edee1.eusc-pure.cloud`.
    EuscDeEast1,
    /// EMEA (UAE): `mec1.pure.cloud`.
    MeCentral1,
    /// Asia Pacific (Mumbai): `aps1.pure.cloud`.
    ApSouth1,
    /// Asia Pacific (Singapore): `apse1.pure.cloud`.
    ApSoutheast1,
    /// Asia Pacific (Sydney): `mypurecloud.com.au`.
    ApSoutheast2,
    /// Asia Pacific (Tokyo): `mypurecloud.jp`.
    ApNortheast1,
    /// Asia Pacific (Seoul): `apne2.pure.cloud`.
    ApNortheast2,
    /// Asia Pacific (Osaka): `apne3.pure.cloud`.
    ApNortheast3,
}

impl Region {
    /// Every region this version knows.
    ///
    /// ```
    /// assert!(scim_sdk::Region::ALL.contains(&scim_sdk::Region::EuCentral1));
    /// ```
    pub const ALL: &'static [Region] = &[
        Region::UsEast1,
        Region::UsEast2,
        Region::UsWest2,
        Region::CaCentral1,
        Region::SaEast1,
        Region::MxCentral1,
        Region::EuWest1,
        Region::EuWest2,
        Region::EuCentral1,
        Region::EuCentral2,
        Region::EuscDeEast1,
        Region::MeCentral1,
        Region::ApSouth1,
        Region::ApSoutheast1,
        Region::ApSoutheast2,
        Region::ApNortheast1,
        Region::ApNortheast2,
        Region::ApNortheast3,
    ];

    /// The AWS-style region name, e.g. `eu-west-1`.
    ///
    /// ```
    /// assert_eq!(scim_sdk::Region::ApNortheast3.name(), "ap-northeast-3");
    /// ```
    pub const fn name(self) -> &'static str {
        self.entry().0
    }

    /// The region's domain, e.g. `mypurecloud.ie`.
    ///
    /// ```
    /// assert_eq!(scim_sdk::Region::UsWest2.domain(), "usw2.pure.cloud");
    /// ```
    pub const fn domain(self) -> &'static str {
        self.entry().1
    }

    /// The API host, `api.<domain>`.
    ///
    /// ```
    /// assert_eq!(scim_sdk::Region::EuCentral1.api_host(), "api.mypurecloud.de");
    /// ```
    pub fn api_host(self) -> String {
        format!("api.{}", self.domain())
    }

    /// The login (OAuth) host, `login.<domain>`.
    ///
    /// ```
    /// assert_eq!(scim_sdk::Region::EuCentral1.login_host(), "login.mypurecloud.de");
    /// ```
    pub fn login_host(self) -> String {
        format!("login.{}", self.domain())
    }

    /// The base URL of the API, `https://api.<domain>`.
    ///
    /// ```
    /// assert_eq!(scim_sdk::Region::UsEast1.api_base_url(), "https://api.mypurecloud.com");
    /// ```
    pub fn api_base_url(self) -> String {
        format!("https://api.{}", self.domain())
    }

    /// The OAuth token endpoint, `https://login.<domain>/oauth/token`.
    ///
    /// ```
    /// assert_eq!(
    ///     scim_sdk::Region::UsEast2.token_url(),
    ///     "https://login.use2.us-gov-pure.cloud/oauth/token"
    /// );
    /// ```
    pub fn token_url(self) -> String {
        format!("https://login.{}/oauth/token", self.domain())
    }

    const fn entry(self) -> (&'static str, &'static str) {
        match self {
            Region::UsEast1 => ("us-east-1", "mypurecloud.com"),
            Region::UsEast2 => ("us-east-2", "use2.us-gov-pure.cloud"),
            Region::UsWest2 => ("us-west-2", "usw2.pure.cloud"),
            Region::CaCentral1 => ("ca-central-1", "cac1.pure.cloud"),
            Region::SaEast1 => ("sa-east-1", "sae1.pure.cloud"),
            Region::MxCentral1 => ("mx-central-1", "mxc1.pure.cloud"),
            Region::EuWest1 => ("eu-west-1", "mypurecloud.ie"),
            Region::EuWest2 => ("eu-west-2", "euw2.pure.cloud"),
            Region::EuCentral1 => ("eu-central-1", "mypurecloud.de"),
            Region::EuCentral2 => ("eu-central-2", "euc2.pure.cloud"),
            Region::EuscDeEast1 => ("eusc-de-east-1", "edee1.eusc-pure.cloud"),
            Region::MeCentral1 => ("me-central-1", "mec1.pure.cloud"),
            Region::ApSouth1 => ("ap-south-1", "aps1.pure.cloud"),
            Region::ApSoutheast1 => ("ap-southeast-1", "apse1.pure.cloud"),
            Region::ApSoutheast2 => ("ap-southeast-2", "mypurecloud.com.au"),
            Region::ApNortheast1 => ("ap-northeast-1", "mypurecloud.jp"),
            Region::ApNortheast2 => ("ap-northeast-2", "apne2.pure.cloud"),
            Region::ApNortheast3 => ("ap-northeast-3", "apne3.pure.cloud"),
        }
    }

    /// The region whose API host is `host` (`api.<domain>`), if any.
    pub(crate) fn from_api_host(host: &str) -> Option<Region> {
        let domain = host.strip_prefix("api.")?;
        Region::ALL
            .iter()
            .copied()
            .find(|r| r.domain().eq_ignore_ascii_case(domain))
    }
}

impl std::fmt::Display for Region {
    /// Writes the AWS-style name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Region {
    type Err = Error;

    /// Accepts the AWS-style name (`us-east-1`, also `us_east_1`), the domain
    /// (`mypurecloud.ie`), or an API or login host (`api.mypurecloud.ie`),
    /// ignoring case, an `https://` prefix and a trailing slash.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("https://").unwrap_or(&t);
        let t = t.trim_end_matches('/');
        let domain = t
            .strip_prefix("api.")
            .or_else(|| t.strip_prefix("login."))
            .unwrap_or(t);
        let name = t.replace('_', "-");
        Region::ALL
            .iter()
            .copied()
            .find(|r| r.name() == name || r.domain() == domain)
            .ok_or_else(|| {
                Error::invalid_input(
                    "client",
                    format!(
                        "unknown Genesys Cloud region `{}`: use a name such as `us-east-1` or a domain such as `mypurecloud.ie`",
                        s.trim()
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_parses_from_name_domain_and_hosts() {
        for &r in Region::ALL {
            assert_eq!(r.name().parse::<Region>().ok(), Some(r));
            assert_eq!(r.domain().parse::<Region>().ok(), Some(r));
            assert_eq!(r.api_host().parse::<Region>().ok(), Some(r));
            assert_eq!(r.login_host().parse::<Region>().ok(), Some(r));
            assert_eq!(r.api_base_url().parse::<Region>().ok(), Some(r));
            assert_eq!(Region::from_api_host(&r.api_host()), Some(r));
            assert_eq!(r.to_string(), r.name());
        }
        assert_eq!("US_EAST_1".parse::<Region>().ok(), Some(Region::UsEast1));
        assert!("mars-north-1".parse::<Region>().is_err());
        assert!("".parse::<Region>().is_err());
    }

    #[test]
    fn names_and_domains_are_unique() {
        let names: std::collections::HashSet<_> = Region::ALL.iter().map(|r| r.name()).collect();
        let domains: std::collections::HashSet<_> =
            Region::ALL.iter().map(|r| r.domain()).collect();
        assert_eq!(names.len(), Region::ALL.len());
        assert_eq!(domains.len(), Region::ALL.len());
    }
}
