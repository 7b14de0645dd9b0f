//! Where each pane goes, as plain arithmetic, so the state machine can page, scroll and hit-test
//! mouse clicks with the same geometry the UI draws.

use super::view::Pane;

/// Terminals narrower than this show one pane at a time instead of squeezing two.
pub(crate) const WIDE_MIN_WIDTH: u16 = 100;

/// A rectangle of terminal cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    /// Left column.
    pub x: u16,
    /// Top row.
    pub y: u16,
    /// Columns.
    pub width: u16,
    /// Rows.
    pub height: u16,
}

impl Area {
    /// The area inside a one-cell border.
    pub fn inner(self) -> Area {
        Area {
            x: self.x.saturating_add(1),
            y: self.y.saturating_add(1),
            width: self.width.saturating_sub(2),
            height: self.height.saturating_sub(2),
        }
    }

    /// Whether the cell (`x`, `y`) lies inside.
    pub(crate) fn contains(self, x: u16, y: u16) -> bool {
        x >= self.x
            && y >= self.y
            && u32::from(x) < u32::from(self.x) + u32::from(self.width)
            && u32::from(y) < u32::from(self.y) + u32::from(self.height)
    }
}

/// The panes shown on screen and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScreenLayout {
    /// The story list, when shown.
    pub list: Option<Area>,
    /// The versions pane, when shown.
    pub versions: Option<Area>,
    /// The reading pane, when shown.
    pub reader: Option<Area>,
    /// The status bar (the last row).
    pub status: Area,
    /// Two columns side by side (else one pane at a time).
    pub wide: bool,
}

/// The reading pane keeps at least this many columns when the list asks for more room.
pub(crate) const MIN_READER_PANE: u16 = 56;

/// Lays out a `width`×`height` screen with `focus` focused and a story of `versions` versions;
/// the list asks for `list_want` columns (its titles whole, or the room the reading column's
/// cap leaves): it gets them, within what leaves the reading pane `MIN_READER_PANE`.
pub(crate) fn layout(
    width: u16,
    height: u16,
    focus: Pane,
    versions: usize,
    list_want: u16,
) -> ScreenLayout {
    let status = Area {
        x: 0,
        y: height.saturating_sub(1),
        width,
        height: height.min(1),
    };
    let body_h = height.saturating_sub(1);
    let wide = width >= WIDE_MIN_WIDTH;
    let left_w = if wide {
        let base = (width * 9 / 20).clamp(40, 72);
        base.max(list_want.min(width.saturating_sub(MIN_READER_PANE)))
    } else {
        width
    };
    // The versions pane: one row per version, at most a third of the height.
    let versions_h = crate::num::u16_of(versions.max(1) + 2)
        .min(8)
        .min(body_h / 3);
    let left = |x: u16| {
        let list = Area {
            x,
            y: 0,
            width: left_w,
            height: body_h - versions_h,
        };
        let versions = Area {
            x,
            y: body_h - versions_h,
            width: left_w,
            height: versions_h,
        };
        (Some(list), (versions_h >= 3).then_some(versions))
    };
    if wide {
        let (list, versions) = left(0);
        ScreenLayout {
            list,
            versions,
            reader: Some(Area {
                x: left_w,
                y: 0,
                width: width - left_w,
                height: body_h,
            }),
            status,
            wide,
        }
    } else if focus == Pane::Reader {
        ScreenLayout {
            list: None,
            versions: None,
            reader: Some(Area {
                x: 0,
                y: 0,
                width,
                height: body_h,
            }),
            status,
            wide,
        }
    } else {
        let (list, versions) = left(0);
        ScreenLayout {
            list,
            versions,
            reader: None,
            status,
            wide,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_show_list_and_reader_side_by_side() {
        let l = layout(120, 40, Pane::List, 3, 0);
        assert!(l.wide);
        let (list, reader) = (l.list.unwrap(), l.reader.unwrap());
        assert_eq!(list.width + reader.width, 120);
        assert_eq!(l.versions.unwrap().height, 5);
        assert_eq!(l.status.y, 39);
    }

    #[test]
    fn the_list_takes_the_room_it_asks_for_within_the_readers_minimum() {
        // At 120 columns the list grows to its titles' width, the reader keeping 56.
        let l = layout(120, 40, Pane::List, 3, 90);
        assert_eq!(l.list.unwrap().width, 64);
        assert_eq!(l.reader.unwrap().width, 56);
        // Asking for less than the default changes nothing.
        assert_eq!(layout(120, 40, Pane::List, 3, 30).list.unwrap().width, 54);
        // On a wide screen the whole room asked for.
        let l = layout(200, 40, Pane::List, 3, 96);
        assert_eq!(l.list.unwrap().width, 96);
        assert_eq!(l.reader.unwrap().width, 104);
    }

    #[test]
    fn narrow_screens_switch_panes() {
        let l = layout(80, 24, Pane::List, 1, 0);
        assert!(l.reader.is_none() && l.list.is_some());
        assert_eq!(l.list.unwrap().width, 80);
        let r = layout(80, 24, Pane::Reader, 1, 0);
        assert!(r.list.is_none());
        assert_eq!(r.reader.unwrap().height, 23);
    }

    #[test]
    fn tiny_screens_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (5, 2), (10, 3)] {
            let _ = layout(w, h, Pane::List, 4, 0);
            let _ = layout(w, h, Pane::Reader, 4, 0);
        }
    }
}
