//! Refreshing one feed's cache entry: whether to ask at all, the conditional request and its
//! redirects, and what the answer does to the entry.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use ureq::http::{Response, StatusCode, header};

use super::headers;
use super::{Check, Clients, Options, cause};
use crate::feed::cache::{Cache, Entry};

/// How one feed's refresh went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new document is in the cache.
    Updated,
    /// The server said it has not changed (304).
    Unchanged,
    /// Not asked: still fresh (max-age), or the server asked us to wait (Retry-After).
    Skipped,
    /// The one-line cause, naming the URL; the entry keeps its last good document.
    Failed(String),
}

/// What a server answered, redirects followed.
enum Answer {
    Document(Vec<u8>, Validators),
    NotModified(Validators),
}

/// What a response says about its document beside the document.
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
    max_age: Option<u64>,
}

/// Why no document came, and (for 429/503) when to ask again.
struct Failure {
    cause: String,
    retry_after: Option<u64>,
}

impl From<String> for Failure {
    fn from(cause: String) -> Failure {
        Failure {
            cause,
            retry_after: None,
        }
    }
}

/// Brings the feed at `url` up to date in `cache`, asking its server only when it should.
pub fn refresh(
    clients: &Clients,
    url: &str,
    cache: &Cache,
    options: &Options,
    check: Check,
) -> Outcome {
    let now = unix_now();
    let previous = cache.read(url);
    if let Some(previous) = &previous
        && should_skip(previous, options.force, now)
    {
        return Outcome::Skipped;
    }
    let mut entry = previous.unwrap_or_else(|| Entry::new(url));
    entry.fetched_at = now;
    entry.retry_after = None;
    let outcome = match ask(clients, url, &entry, options) {
        Ok(Answer::Document(body, validators)) => match check(&body, url) {
            Ok(()) => {
                entry.body = Some(body);
                entry.etag = validators.etag;
                entry.last_modified = validators.last_modified;
                entry.fresh_until = validators.max_age.map(|age| now.saturating_add(age));
                Outcome::Updated
            }
            Err(cause) => Outcome::Failed(cause),
        },
        Ok(Answer::NotModified(validators)) if entry.body.is_some() => {
            entry.etag = validators.etag.or(entry.etag);
            entry.last_modified = validators.last_modified.or(entry.last_modified);
            entry.fresh_until = validators.max_age.map(|age| now.saturating_add(age));
            Outcome::Unchanged
        }
        Ok(Answer::NotModified(_)) => {
            Outcome::Failed("HTTP 304 Not Modified, but nothing of it is cached".to_owned())
        }
        Err(failure) => {
            entry.retry_after = failure.retry_after;
            Outcome::Failed(failure.cause)
        }
    };
    let outcome = match outcome {
        Outcome::Failed(cause) => {
            let line = crate::text::clean_line(&format!("{url}: {cause}"));
            entry.error = Some(line.clone());
            Outcome::Failed(line)
        }
        done => {
            entry.error = None;
            done
        }
    };
    match cache.write(url, &entry) {
        Ok(()) => outcome,
        Err(error) => {
            let path = cache.file(url);
            let line = format!("{}: {error} (the cache of {url})", path.display());
            Outcome::Failed(crate::text::clean_line(&line))
        }
    }
}

/// Whether `entry` is not to be asked for now: the server asked us to wait (which even a
/// forced refresh respects), or it is fresh and the refresh is not forced.
fn should_skip(entry: &Entry, force: bool, now: u64) -> bool {
    let waiting = entry.retry_after.is_some_and(|at| at > now);
    let fresh = entry.body.is_some() && entry.fresh_until.is_some_and(|until| until > now);
    waiting || (fresh && !force)
}

/// Asks for `url`, conditionally on what `entry` holds, following at most
/// `options.max_redirects` redirects, all within `options.timeout`.
fn ask(clients: &Clients, url: &str, entry: &Entry, options: &Options) -> Result<Answer, Failure> {
    if headers::host_key(url).is_none() {
        return Err("not an http:// or https:// URL".to_owned().into());
    }
    let deadline = Instant::now() + options.timeout;
    let mut visited = vec![url.to_owned()];
    loop {
        let current = visited.last().map_or(url, String::as_str);
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(
                cause::describe(&ureq::Error::Timeout(ureq::Timeout::Global), options).into(),
            );
        }
        let mut request = clients
            .for_url(current)
            .get(current)
            .config()
            .timeout_global(Some(left))
            .build();
        if entry.body.is_some() {
            if let Some(etag) = &entry.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(date) = &entry.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, date);
            }
        }
        let mut response = request.call().map_err(|e| cause::describe(&e, options))?;
        let status = response.status();
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let next = redirect_target(&response, current)?;
            if visited.contains(&next) {
                return Err(format!("redirect loop: {} → {next}", visited.join(" → ")).into());
            }
            if visited.len() > options.max_redirects as usize {
                return Err(format!("more than {} redirects", options.max_redirects).into());
            }
            visited.push(next);
            continue;
        }
        let validators = validators(&response);
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Answer::NotModified(validators));
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            return Err(asked_to_wait(&response));
        }
        if !status.is_success() {
            return Err(cause::status(status.as_u16()).into());
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(options.max_bytes)
            .read_to_vec()
            .map_err(|e| cause::describe(&e, options))?;
        return Ok(Answer::Document(body, validators));
    }
}

/// Where a redirect response sends us, resolved against `current`.
fn redirect_target<B>(response: &Response<B>, current: &str) -> Result<String, Failure> {
    let status = cause::status(response.status().as_u16());
    let location = header_text(response, header::LOCATION)
        .ok_or_else(|| format!("{status} without a Location"))?;
    headers::resolve(current, &location)
        .ok_or_else(|| format!("{status} to {location}, not an http(s) URL").into())
}

/// The failure of a 429 or 503 answer, with when its `Retry-After` lets us ask again.
fn asked_to_wait<B>(response: &Response<B>) -> Failure {
    let now = unix_now();
    let status = cause::status(response.status().as_u16());
    let retry_after = header_text(response, header::RETRY_AFTER)
        .and_then(|value| headers::retry_after(&value, now));
    let cause = match retry_after {
        Some(at) => format!("{status} (asked again in {} s at the earliest)", at - now),
        None => status,
    };
    Failure { cause, retry_after }
}

fn validators<B>(response: &Response<B>) -> Validators {
    Validators {
        etag: header_text(response, header::ETAG),
        last_modified: header_text(response, header::LAST_MODIFIED),
        max_age: header_text(response, header::CACHE_CONTROL).and_then(|v| headers::max_age(&v)),
    }
}

/// A header's value, when it is there and visible ASCII (what can be sent back as it is).
fn header_text<B>(response: &Response<B>, name: header::HeaderName) -> Option<String> {
    let value = response.headers().get(name)?.to_str().ok()?;
    Some(value.to_owned())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(fresh_until: Option<u64>, retry_after: Option<u64>) -> Entry {
        Entry {
            body: Some(b"<rss/>".to_vec()),
            fresh_until,
            retry_after,
            ..Entry::new("http://127.0.0.1:1/feed")
        }
    }

    #[test]
    fn a_fresh_entry_is_skipped_unless_forced() {
        let entry = cached(Some(2000), None);
        assert!(should_skip(&entry, false, 1000));
        assert!(!should_skip(&entry, true, 1000));
        assert!(!should_skip(&entry, false, 2000));
    }

    #[test]
    fn a_server_asking_to_wait_is_not_asked_even_when_forced() {
        let entry = cached(None, Some(2000));
        assert!(should_skip(&entry, true, 1999));
        assert!(!should_skip(&entry, true, 2000));
    }

    #[test]
    fn a_fresh_stamp_without_a_document_is_not_fresh() {
        let entry = Entry {
            body: None,
            ..cached(Some(2000), None)
        };
        assert!(!should_skip(&entry, false, 1000));
    }
}
