//! Taking connections: a rate per address, the session cap, the login grace, the closing log line.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsFd;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use super::connection::Connection;
use super::host::{self, Link};
use super::limits::Bucket;
use super::{Hub, log};

/// Takes connections until stopped: a few a second per address, `max_sessions` at once.
pub(super) async fn accept(
    listener: tokio::net::TcpListener,
    hub: Arc<Hub>,
    config: Arc<russh::server::Config>,
    stop: Arc<tokio::sync::Notify>,
) {
    let mut rates: HashMap<IpAddr, Bucket> = HashMap::new();
    let mut next_link = 0u64;
    loop {
        let (socket, peer) = tokio::select! {
            _ = stop.notified() => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    log(&format!("accept: {e}"));
                    // Out of descriptors, most likely: give the others a moment to end.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let limits = &hub.config.limits;
        if rates.len() > 10_000 {
            rates.retain(|_, bucket| !bucket.full());
        }
        let bucket = rates
            .entry(peer.ip())
            .or_insert_with(|| Bucket::new(limits.connection_rate, limits.connection_burst));
        if !bucket.try_take(1.0) {
            log(&format!("{peer}: refused, too many connections a second"));
            continue;
        }
        if hub.closing.load(Ordering::SeqCst) {
            continue;
        }
        if hub.connections.load(Ordering::SeqCst) >= limits.max_sessions {
            log(&format!(
                "{peer}: refused, {} sessions already (--max-sessions)",
                limits.max_sessions
            ));
            continue;
        }
        hub.connections.fetch_add(1, Ordering::SeqCst);
        log(&format!("{peer}: connect"));
        // A frame goes out when it is drawn, not when Nagle's algorithm has waited for an ACK.
        let _ = socket.set_nodelay(true);
        let link = Arc::new(Link::new(socket.as_fd().try_clone_to_owned().ok()));
        next_link += 1;
        let id = next_link;
        hub.links
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, Arc::clone(&link));
        let (hub, config) = (Arc::clone(&hub), Arc::clone(&config));
        tokio::spawn(async move {
            let started = Instant::now();
            serve_connection(&hub, config, socket, peer, &link).await;
            hub.links
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
            hub.connections.fetch_sub(1, Ordering::SeqCst);
            let why = match link.stalled.load(Ordering::SeqCst) {
                true => ", the client read nothing",
                false => "",
            };
            log(&format!(
                "{peer}: disconnect {} after {:.1} s, {} bytes sent{why}",
                link.who(),
                started.elapsed().as_secs_f64(),
                link.sent.load(Ordering::Relaxed)
            ));
        });
    }
}

async fn serve_connection(
    hub: &Arc<Hub>,
    config: Arc<russh::server::Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    link: &Arc<Link>,
) {
    // The grace counts once, from the connection's accept to its reader's start.
    let now = tokio::time::Instant::now();
    let deadline = (now.checked_add(hub.config.limits.login_grace))
        .unwrap_or_else(|| now + Duration::from_secs(86_400));
    let handler = Connection::new(Arc::clone(hub), peer, Arc::clone(link));
    // What russh writes to the socket is counted: what it still holds is handed minus that.
    let socket = host::Counted {
        inner: socket,
        link: Arc::clone(link),
    };
    let running =
        match tokio::time::timeout_at(deadline, russh::server::run_stream(config, socket, handler))
            .await
        {
            Ok(Ok(running)) => running,
            Ok(Err(e)) => {
                log(&format!("{peer}: {e}"));
                return;
            }
            Err(_) => {
                log(&format!("{peer}: no SSH greeting in time"));
                return;
            }
        };
    // A client that has not signed in and started its reader within the grace is cut.
    let watch = Arc::clone(link);
    let guard = tokio::spawn(async move {
        tokio::time::sleep_until(deadline).await;
        if !watch.reading.load(Ordering::SeqCst) {
            log(&format!("{peer}: no reader started in time"));
            watch.cut();
        }
    });
    match running.await {
        // The client went away or hung up: the disconnect line says so.
        Ok(()) | Err(russh::Error::IO(_) | russh::Error::Disconnect | russh::Error::HUP) => {}
        Err(e) => log(&format!("{peer}: {e}")),
    }
    guard.abort();
}
