//! Why a fetch failed, in words a reader understands, one line each.

use std::io;
use std::time::Duration;

use ureq::Timeout;

/// What went wrong in `error`, for a fetch with `options`' limits.
pub fn describe(error: &ureq::Error, options: &super::Options) -> String {
    match error {
        ureq::Error::HostNotFound => "DNS lookup failed: host not found".to_owned(),
        ureq::Error::Io(error) => describe_io(error, options),
        ureq::Error::Timeout(Timeout::Connect) => {
            format!(
                "timed out connecting (after {})",
                seconds(options.connect_timeout)
            )
        }
        ureq::Error::Timeout(Timeout::Resolve) => "DNS lookup timed out".to_owned(),
        ureq::Error::Timeout(_) => {
            format!(
                "timed out: no complete response within {}",
                seconds(options.timeout)
            )
        }
        ureq::Error::Tls(message) => format!("TLS error: {message}"),
        ureq::Error::Rustls(error) => format!("TLS error: {error}"),
        ureq::Error::Pem(error) => format!("TLS error: {error}"),
        ureq::Error::TlsRequired => "TLS error: the server requires TLS".to_owned(),
        ureq::Error::BodyExceedsLimit(limit) => too_large(*limit),
        ureq::Error::Decompress(kind, error) => format!("bad {kind} compression: {error}"),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::BadUri(uri) => format!("not a usable URL: {uri}"),
        ureq::Error::Protocol(error) => format!("not a valid HTTP response: {error}"),
        ureq::Error::LargeResponseHeader(..) => "the response's headers are too large".to_owned(),
        ureq::Error::TooManyRedirects => "too many redirects".to_owned(),
        ureq::Error::StatusCode(code) => status(*code),
        other => other.to_string(),
    }
}

/// `HTTP 404 Not Found`: the status and its reason.
pub fn status(code: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason());
    match reason {
        Some(reason) => format!("HTTP {code} {reason}"),
        None => format!("HTTP {code}"),
    }
}

/// The cause for a body past the size cap of `limit` bytes.
pub fn too_large(limit: u64) -> String {
    format!("too large: more than {} (after decompression)", size(limit))
}

fn describe_io(error: &io::Error, options: &super::Options) -> String {
    if let Some(inner) = error
        .get_ref()
        .and_then(|e| e.downcast_ref::<ureq::Error>())
    {
        return describe(inner, options);
    }
    let message = error.to_string();
    match error.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        io::ErrorKind::ConnectionReset => "connection reset by the server".to_owned(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
            format!(
                "timed out: no complete response within {}",
                seconds(options.timeout)
            )
        }
        io::ErrorKind::UnexpectedEof => {
            "the server closed the connection before the response was complete".to_owned()
        }
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            format!("unreachable: {message}")
        }
        _ if is_dns_failure(&message) => format!("DNS lookup failed: {message}"),
        _ => message,
    }
}

/// Whether an I/O error's words are the resolver's (std gives no kind of its own for them).
fn is_dns_failure(message: &str) -> bool {
    [
        "lookup address",
        "Name or service not known",
        "nodename nor servname",
    ]
    .iter()
    .any(|words| message.contains(words))
}

fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

fn size(bytes: u64) -> String {
    const MB: u64 = 1_000_000;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::fetch::Options;

    #[test]
    fn a_resolver_failure_reads_as_dns() {
        let options = Options::default();
        let error = ureq::Error::Io(io::Error::other(
            "failed to lookup address information: Name or service not known",
        ));
        let cause = describe(&error, &options);
        assert!(cause.starts_with("DNS lookup failed: "), "{cause}");
        assert!(describe(&ureq::Error::HostNotFound, &options).starts_with("DNS lookup failed"));
    }

    #[test]
    fn a_refused_connection_says_so() {
        let error = ureq::Error::Io(io::ErrorKind::ConnectionRefused.into());
        assert_eq!(describe(&error, &Options::default()), "connection refused");
    }

    #[test]
    fn an_error_wrapped_in_io_is_described_as_itself() {
        let error = ureq::Error::Io(ureq::Error::BodyExceedsLimit(20_000_000).into_io());
        let cause = describe(&error, &Options::default());
        assert_eq!(cause, "too large: more than 20 MB (after decompression)");
    }

    #[test]
    fn timeouts_name_the_limit_that_ran_out() {
        let options = Options {
            timeout: Duration::from_millis(1500),
            ..Options::default()
        };
        let connect = describe(&ureq::Error::Timeout(Timeout::Connect), &options);
        assert_eq!(connect, "timed out connecting (after 10 s)");
        let whole = describe(&ureq::Error::Timeout(Timeout::Global), &options);
        assert_eq!(whole, "timed out: no complete response within 1.5 s");
    }

    #[test]
    fn tls_failures_say_tls() {
        let error = ureq::Error::Tls("certificate not valid for name");
        assert!(describe(&error, &Options::default()).starts_with("TLS error: "));
    }

    #[test]
    fn statuses_carry_their_reason() {
        assert_eq!(status(404), "HTTP 404 Not Found");
        assert_eq!(status(503), "HTTP 503 Service Unavailable");
        assert_eq!(status(599), "HTTP 599");
    }
}
