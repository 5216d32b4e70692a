//! Screen geometry shared by the app (paging, mouse) and the UI (drawing), so both always agree
//! on where each pane is.

use ratatui::layout::Rect;

use crate::config::LayoutSettings;

/// How the panes share the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrangement {
    /// List on the left, reader on the right (from `stack_below` columns, 100 by default).
    SideBySide,
    /// List above, reader below.
    Stacked,
    /// One pane at a time (below 60 columns or 16 rows).
    Single,
}

/// Where everything goes. `list` and `reader` are the panes' content areas, inside their
/// borders; a pane that is not shown has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    /// The reader's area including its border (a separator line on the left or top).
    pub reader_frame: Option<Rect>,
    pub status: Rect,
}

impl Arrangement {
    pub fn for_size(width: u16, height: u16, layout: &LayoutSettings) -> Arrangement {
        if width < 60 || height < 16 {
            Arrangement::Single
        } else if width >= layout.stack_below {
            Arrangement::SideBySide
        } else {
            Arrangement::Stacked
        }
    }
}

/// Lays out a screen of `area` in `arrangement`. In a single-pane arrangement, `reader_shown`
/// picks the reader.
pub fn panes(
    area: Rect,
    arrangement: Arrangement,
    reader_shown: bool,
    layout: &LayoutSettings,
) -> Panes {
    let main_height = area.height.saturating_sub(1);
    let status = Rect::new(area.x, area.y + main_height, area.width, area.height.min(1));
    let main = Rect::new(area.x, area.y, area.width, main_height);
    match arrangement {
        Arrangement::Single if reader_shown => Panes {
            reader: Some(main),
            reader_frame: Some(main),
            status,
            ..Panes::default()
        },
        Arrangement::Single => Panes {
            list: Some(main),
            status,
            ..Panes::default()
        },
        Arrangement::SideBySide => {
            let share = (f64::from(main.width) * layout.list_width) as u16;
            let list_width = share.clamp(20, main.width.saturating_sub(40).max(20));
            let frame = Rect::new(
                main.x + list_width,
                main.y,
                main.width - list_width,
                main.height,
            );
            Panes {
                list: Some(Rect::new(main.x, main.y, list_width, main.height)),
                reader: Some(Rect::new(
                    frame.x + 1,
                    frame.y,
                    frame.width - 1,
                    frame.height,
                )),
                reader_frame: Some(frame),
                status,
            }
        }
        Arrangement::Stacked => {
            let list_height = (main.height * 2 / 5).max(5);
            let frame = Rect::new(
                main.x,
                main.y + list_height,
                main.width,
                main.height - list_height,
            );
            Panes {
                list: Some(Rect::new(main.x, main.y, main.width, list_height)),
                reader: Some(Rect::new(
                    frame.x,
                    frame.y + 1,
                    frame.width,
                    frame.height - 1,
                )),
                reader_frame: Some(frame),
                status,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(inner: Rect, outer: Rect) -> bool {
        outer.union(inner) == outer || inner.area() == 0
    }

    #[test]
    fn arrangement_follows_the_terminal_size() {
        let layout = LayoutSettings::default();
        assert_eq!(
            Arrangement::for_size(250, 50, &layout),
            Arrangement::SideBySide
        );
        assert_eq!(
            Arrangement::for_size(100, 16, &layout),
            Arrangement::SideBySide
        );
        assert_eq!(Arrangement::for_size(99, 40, &layout), Arrangement::Stacked);
        assert_eq!(Arrangement::for_size(80, 24, &layout), Arrangement::Stacked);
        assert_eq!(Arrangement::for_size(59, 40, &layout), Arrangement::Single);
        assert_eq!(Arrangement::for_size(200, 15, &layout), Arrangement::Single);
        let wide_stack = LayoutSettings {
            stack_below: 140,
            ..layout
        };
        assert_eq!(
            Arrangement::for_size(120, 40, &wide_stack),
            Arrangement::Stacked
        );
    }

    #[test]
    fn panes_stay_on_screen_and_apart_at_every_size() {
        for width in 0..130 {
            for height in 0..40 {
                let area = Rect::new(0, 0, width, height);
                let settings = LayoutSettings::default();
                let sized = Arrangement::for_size(width, height, &settings);
                let shown = [false, true].map(|reader| (reader, sized));
                for (reader_shown, arrangement) in
                    shown.into_iter().chain([(true, Arrangement::Single)])
                {
                    let p = panes(area, arrangement, reader_shown, &settings);
                    let shown = [p.list, p.reader, p.reader_frame, Some(p.status)];
                    assert!(
                        shown.iter().flatten().all(|r| inside(*r, area)),
                        "{area:?} {p:?}"
                    );
                    if let (Some(list), Some(frame)) = (p.list, p.reader_frame) {
                        assert!(!list.intersects(frame), "{area:?} {p:?}");
                    }
                    assert!(!p.list.is_some_and(|l| l.intersects(p.status)));
                }
            }
        }
    }

    #[test]
    fn the_list_takes_its_configured_share_of_the_width() {
        let narrow = LayoutSettings {
            list_width: 0.25,
            ..LayoutSettings::default()
        };
        let side = Arrangement::SideBySide;
        let p = panes(Rect::new(0, 0, 200, 50), side, false, &narrow);
        assert_eq!(p.list.map(|r| r.width), Some(50));
        let p = panes(
            Rect::new(0, 0, 200, 50),
            side,
            false,
            &LayoutSettings::default(),
        );
        assert_eq!(p.list.map(|r| r.width), Some(80));
    }

    #[test]
    fn the_status_line_is_the_last_row() {
        let settings = LayoutSettings::default();
        let stacked = Arrangement::for_size(80, 24, &settings);
        let p = panes(Rect::new(0, 0, 80, 24), stacked, false, &settings);
        assert_eq!(p.status, Rect::new(0, 23, 80, 1));
        assert_eq!(p.list, Some(Rect::new(0, 0, 80, 9)));
        assert_eq!(p.reader, Some(Rect::new(0, 10, 80, 13)));
    }
}
