//! A reader's thread: started for a shell, run over its key's state, ended with a goodbye.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use russh::keys::PublicKey;
use russh::server::Handle;
use russh::{ChannelId, ChannelWriteHalf};

use super::host::{Link, SshHost, SshOut};
use super::{Hub, keys, log};
use crate::session::{Command, Msg, Options, Session};
use crate::state;
use crate::terminal::{self, Ending, Incoming, Poster, Saver};

/// What a connection hands its reader's thread.
pub(super) struct Start {
    pub(super) key: PublicKey,
    pub(super) host: SshHost,
    pub(super) writer: ChannelWriteHalf<russh::server::Msg>,
    pub(super) channel: ChannelId,
    pub(super) handle: Handle,
    pub(super) tokio: tokio::runtime::Handle,
    pub(super) link: Arc<Link>,
    pub(super) color: bool,
    pub(super) term: Option<String>,
}

/// Starts a reader on a thread of its own; false if the server is stopping.
pub(super) fn spawn_reader(hub: &Arc<Hub>, start: Start) -> bool {
    if hub.closing.load(Ordering::SeqCst) {
        return false;
    }
    let id = hub.next_reader.fetch_add(1, Ordering::SeqCst);
    hub.readers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, start.host_poster());
    let hub = Arc::clone(hub);
    let spawned = std::thread::Builder::new()
        .name("byline-reader".into())
        .spawn(move || {
            read(&hub, start);
            hub.readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
        });
    spawned.is_ok()
}

impl Start {
    fn host_poster(&self) -> Poster {
        terminal::Host::poster(&self.host)
    }
}

/// Runs one reader to its end and says goodbye to its client however it ended: quit, hangup,
/// server stopping, error or panic. A panic ends this reader alone.
fn read(hub: &Arc<Hub>, start: Start) {
    let Start {
        key,
        mut host,
        writer,
        channel,
        handle,
        tokio,
        link,
        color,
        term,
    } = start;
    let out = SshOut::new(
        Box::pin(writer.make_writer()),
        tokio.clone(),
        hub.config.limits.stall,
        hub.config.limits.output_queue,
        Arc::clone(&link),
    );
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // As on a local terminal: a dumb one cannot show the reader.
        if term.as_deref() == Some("dumb") {
            return Err("TERM=dumb cannot show the reader".to_owned());
        }
        run_reader(hub, &key, &mut host, out, color)
    }));
    let (goodbye, status) = match ran {
        Ok(Ok(Ending::Quit)) => (String::new(), 0),
        Ok(Ok(Ending::Hangup)) => (String::new(), 0),
        Ok(Ok(Ending::Signal(_))) => ("byline: the server is stopping\r\n".to_owned(), 0),
        Ok(Err(e)) => (format!("byline: {}\r\n", crate::text::clean_line(&e)), 2),
        Err(_) => {
            log(&format!(
                "the reader of {} panicked (a bug); the server goes on",
                keys::fingerprint(&key)
            ));
            let mut restore = Vec::new();
            let _ = terminal::give_back(&mut restore);
            restore.extend_from_slice(b"\r\nbyline: this session ended on an error (a bug)\r\n");
            (String::from_utf8_lossy(&restore).into_owned(), 70)
        }
    };
    if link.stalled.load(Ordering::SeqCst) {
        return;
    }
    let sent = goodbye.len() as u64;
    tokio.block_on(async {
        let farewell = async {
            if !goodbye.is_empty() && handle.data(channel, goodbye.into_bytes()).await.is_ok() {
                link.sent.fetch_add(sent, Ordering::Relaxed);
            }
            let _ = handle.exit_status_request(channel, status).await;
            let _ = handle.eof(channel).await;
            let _ = handle.close(channel).await;
        };
        if tokio::time::timeout(Duration::from_secs(1), farewell)
            .await
            .is_err()
        {
            link.cut();
        }
    });
}

/// The reader of one key: its state opened, its session made over the shared articles, run.
fn run_reader(
    hub: &Hub,
    key: &PublicKey,
    host: &mut SshHost,
    out: SshOut,
    color: bool,
) -> Result<Ending, String> {
    let config = &hub.config;
    let opened = match &config.state_dir {
        Some(dir) => {
            let path = dir.join(format!("{}.db", keys::file_name(key)));
            Some(state::open(&path, true, None)?)
        }
        None => None,
    };
    let (mut saver, saved, notice) = match opened {
        Some(opened) => (opened.saver, opened.state, opened.notice),
        None => (None, state::State::default(), None),
    };
    let options = Options {
        settings: config.settings.clone(),
        color,
        input_key: config.input_key.clone(),
        unsaved: saver.is_none(),
    };
    // Subscribed before the articles are taken, so that no reload falls in between.
    let poster = terminal::Host::poster(host);
    let library = hub
        .library
        .subscribe(move |store| poster.post(Incoming::Shared(store)));
    let mut session = Session::with_store(hub.library.current(), options, saved);
    for command in notice.map_or_else(Vec::new, |n| session.update(Msg::Notify(n))) {
        if let Command::Persist(changes) = command {
            let _ = saver.persist(changes);
        }
    }
    let finished = terminal::run_from(&mut session, host, &mut saver, library, out)
        .map_err(|e| e.to_string())?;
    Ok(finished.ending)
}
