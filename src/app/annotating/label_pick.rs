//! The label picker (`View::LabelPick`): a label's key picks it, Esc cancels, any other key
//! leaves it open. Its state says what the label is for; the app applies what it asks
//! ([`LabelOutcome`]).

use crate::annotate::{AnnotationId, LabelId, LabelSet};
use crate::command::Action;

/// The label picker's state: what the label chosen is for. It lives in
/// [`AnnState::label_picker`](super::AnnState::label_picker) while `View::LabelPick` is on the
/// stack (the view itself carries nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelPicker {
    /// The annotation to relabel; none: a new annotation of `AnnState::target`, whose note
    /// input follows the label.
    pub relabel: Option<AnnotationId>,
}

/// What the label picker asks of the app after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelOutcome {
    /// Stay open.
    Stay,
    /// Stay open: no label has this key.
    NoLabel(char),
    /// Close without a label.
    Cancel,
    /// Close: give this annotation this label.
    Relabel(AnnotationId, LabelId),
    /// Close: the note input of a new annotation with this label follows.
    Note(LabelId),
}

impl LabelPicker {
    /// A picker relabelling the annotation `id`.
    pub(crate) fn relabelling(id: AnnotationId) -> LabelPicker {
        LabelPicker { relabel: Some(id) }
    }

    /// Applies `action`: Esc (or Back) cancels; any other action leaves the picker open.
    pub(crate) fn update(&mut self, action: Action) -> LabelOutcome {
        if matches!(action, Action::InputCancel | Action::Back) {
            self.relabel = None;
            LabelOutcome::Cancel
        } else {
            LabelOutcome::Stay
        }
    }

    /// A typed character: the label with that key, if any, is chosen.
    pub(crate) fn type_char(&mut self, c: char, labels: &LabelSet) -> LabelOutcome {
        let Some(l) = labels.by_key(c) else {
            return LabelOutcome::NoLabel(c);
        };
        let label = l.id.clone();
        match self.relabel.take() {
            Some(id) => LabelOutcome::Relabel(id, label),
            None => LabelOutcome::Note(label),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_picks_its_label_for_a_new_annotation_or_a_relabelling() {
        let labels = LabelSet::default();
        let first = labels.labels()[0].clone();
        let mut p = LabelPicker::default();
        assert_eq!(p.update(Action::MoveDown), LabelOutcome::Stay);
        assert_eq!(
            p.type_char(first.key, &labels),
            LabelOutcome::Note(first.id.clone())
        );
        assert_eq!(
            p.type_char('\u{1}', &labels),
            LabelOutcome::NoLabel('\u{1}')
        );
        let id = AnnotationId::new_v7();
        let mut p = LabelPicker::relabelling(id);
        assert_eq!(
            p.type_char(first.key, &labels),
            LabelOutcome::Relabel(id, first.id.clone())
        );
        assert_eq!(p.relabel, None, "the relabelling is done");
        let mut p = LabelPicker::relabelling(id);
        assert_eq!(p.update(Action::InputCancel), LabelOutcome::Cancel);
        assert_eq!(p, LabelPicker::default());
    }
}
