//! What the fetcher reads from a response's headers and URLs: freshness, when to ask again,
//! where a redirect goes and which host a URL is on.

use std::time::{Duration, UNIX_EPOCH};

/// The longest a server may ask us to wait (`Retry-After`): past it, a broken server's answer
/// would silence a feed for good, and nothing (not even Ctrl-r) overrides it.
const LONGEST_RETRY_AFTER: u64 = 24 * 60 * 60;

/// The seconds a response may be kept fresh by its `Cache-Control`, if it says.
pub fn max_age(cache_control: &str) -> Option<u64> {
    let mut age = None;
    for directive in cache_control.split(',') {
        let directive = directive.trim().to_ascii_lowercase();
        if directive == "no-cache" || directive == "no-store" {
            return None;
        }
        if let Some(value) = directive.strip_prefix("max-age=") {
            age = value.trim_matches('"').parse::<u64>().ok();
        }
    }
    age
}

/// The unix second before which a `Retry-After` (seconds or an HTTP date) asks us not to ask
/// again, from `now`; never later than a day from now.
pub fn retry_after(value: &str, now: u64) -> Option<u64> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => seconds,
        Err(_) => {
            let at = httpdate::parse_http_date(value).ok()?;
            let at = at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
            at.as_secs().saturating_sub(now)
        }
    };
    Some(now.saturating_add(wait.min(LONGEST_RETRY_AFTER)))
}

/// The absolute URL a redirect's `Location` names, resolved against the URL it came from.
pub fn resolve(base: &str, location: &str) -> Option<String> {
    let location = location.trim();
    let (scheme, rest) = split_scheme(base)?;
    if let Some((_, _)) = split_scheme(location) {
        return Some(location.to_owned());
    }
    if let Some(network) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{network}"));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let origin = format!("{scheme}://{authority}");
    if location.starts_with('/') {
        return Some(format!("{origin}{location}"));
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    if location.starts_with('?') {
        let path = if path.is_empty() { "/" } else { path };
        return Some(format!("{origin}{path}{location}"));
    }
    let directory = path.rfind('/').map_or("/", |slash| &path[..=slash]);
    Some(format!("{origin}{directory}{location}"))
}

/// `host:port` of an http(s) URL (the port its scheme implies when it names none), the unit
/// the fetcher limits requests per; `None` when it is not an http(s) URL.
pub fn host_key(url: &str) -> Option<String> {
    let (scheme, rest) = split_scheme(url)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if authority.is_empty() {
        return None;
    }
    let has_port = match authority.rfind(':') {
        Some(colon) => !authority[colon..].contains(']'),
        None => false,
    };
    let authority = authority.to_ascii_lowercase();
    Some(match (has_port, scheme.as_str()) {
        (true, _) => authority,
        (false, "https") => format!("{authority}:443"),
        (false, _) => format!("{authority}:80"),
    })
}

/// Whether a [`host_key`] names this machine (by a loopback address or `localhost`).
pub fn is_loopback(host_key: &str) -> bool {
    let host = host_key.rsplit_once(':').map_or(host_key, |(host, _)| host);
    let ip = host.parse::<std::net::Ipv4Addr>();
    host == "localhost" || host == "[::1]" || ip.is_ok_and(|ip| ip.is_loopback())
}

/// The lower-case scheme of an http(s) URL and what follows its `://`.
fn split_scheme(url: &str) -> Option<(String, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    (scheme == "http" || scheme == "https").then_some((scheme, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_read_among_other_directives() {
        assert_eq!(max_age("public, max-age=600"), Some(600));
        assert_eq!(max_age("Max-Age=60"), Some(60));
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=soon"), None);
    }

    #[test]
    fn no_cache_or_no_store_means_never_fresh() {
        assert_eq!(max_age("max-age=600, no-cache"), None);
        assert_eq!(max_age("no-store, max-age=600"), None);
    }

    #[test]
    fn retry_after_in_seconds_counts_from_now() {
        assert_eq!(retry_after("120", 1000), Some(1120));
    }

    #[test]
    fn retry_after_as_an_http_date_is_that_time() {
        // 1994-11-06 08:49:37 UTC is 784111777.
        let at = retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_000);
        assert_eq!(at, Some(784_111_777));
    }

    #[test]
    fn retry_after_in_the_past_is_now_and_nonsense_is_none() {
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 900_000_000),
            Some(900_000_000)
        );
        assert_eq!(retry_after("whenever", 1000), None);
    }

    #[test]
    fn retry_after_is_never_more_than_a_day() {
        assert_eq!(retry_after("99999999999", 1000), Some(1000 + 86_400));
        assert_eq!(
            retry_after("18446744073709551615", u64::MAX - 5),
            Some(u64::MAX)
        );
    }

    #[test]
    fn locations_resolve_against_the_url_they_came_from() {
        let base = "https://example.org/news/feed.xml?x=1";
        assert_eq!(
            resolve(base, "http://other.org/a").as_deref(),
            Some("http://other.org/a")
        );
        assert_eq!(
            resolve(base, "//cdn.org/f").as_deref(),
            Some("https://cdn.org/f")
        );
        assert_eq!(
            resolve(base, "/rss").as_deref(),
            Some("https://example.org/rss")
        );
        assert_eq!(
            resolve(base, "atom.xml").as_deref(),
            Some("https://example.org/news/atom.xml")
        );
        assert_eq!(
            resolve(base, "?y=2").as_deref(),
            Some("https://example.org/news/feed.xml?y=2")
        );
        assert_eq!(resolve("http://h:8/", "a").as_deref(), Some("http://h:8/a"));
        assert_eq!(resolve("http://h:8", "a").as_deref(), Some("http://h:8/a"));
        assert_eq!(resolve("ftp://h/", "a"), None);
    }

    #[test]
    fn loopback_hosts_are_known_by_address_or_name() {
        assert!(is_loopback("127.0.0.1:8080"));
        assert!(is_loopback("127.3.4.5:80"));
        assert!(is_loopback("localhost:443"));
        assert!(is_loopback("[::1]:80"));
        assert!(!is_loopback("example.org:80"));
        assert!(!is_loopback("127.example.org:80"));
    }

    #[test]
    fn host_keys_carry_the_port_the_scheme_implies() {
        assert_eq!(
            host_key("https://Example.org/feed").as_deref(),
            Some("example.org:443")
        );
        assert_eq!(
            host_key("http://example.org").as_deref(),
            Some("example.org:80")
        );
        assert_eq!(
            host_key("http://127.0.0.1:8080/a").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(host_key("http://[::1]/a").as_deref(), Some("[::1]:80"));
        assert_eq!(host_key("http://[::1]:9/a").as_deref(), Some("[::1]:9"));
        assert_eq!(
            host_key("http://user:pw@h.org/a").as_deref(),
            Some("h.org:80")
        );
        assert_eq!(host_key("file:///etc/passwd"), None);
        assert_eq!(host_key("http:///a"), None);
    }
}
