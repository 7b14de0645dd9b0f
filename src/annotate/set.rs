//! The annotations of a corpus in memory, changed only through operations that return an
//! [`Edit`]: what to append to the store, and what [`History`] needs to undo and redo it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::labels::LabelId;
use super::model::{Annotation, AnnotationId, ModelError, Target, Timestamp};

/// One line of the annotation log: a full snapshot of an annotation, live or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", content = "annotation", rename_all = "snake_case")]
pub enum LogRecord {
    /// The annotation as it now stands.
    Put(Annotation),
    /// The annotation was deleted; its last state, with the deleting revision.
    Delete(Annotation),
}

impl LogRecord {
    /// The snapshot carried.
    pub fn annotation(&self) -> &Annotation {
        match self {
            LogRecord::Put(a) | LogRecord::Delete(a) => a,
        }
    }
}

/// A change made to an [`AnnotationSet`]: the annotation before and after (`None` where it did
/// not exist or was deleted). The runtime appends [`Edit::record`] to the store and pushes the
/// edit on the [`History`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The annotation's state before (`None`: it did not exist, or was deleted).
    pub before: Option<Annotation>,
    /// The state after (`None`: it was deleted).
    pub after: Option<Annotation>,
    /// The revision given to this change.
    pub revision: u64,
    /// The log line that makes this change durable.
    pub record: LogRecord,
    /// The deleted state this change brought back, if it undid a deletion (for
    /// [`AnnotationSet::revert`]).
    pub revived: Option<Annotation>,
}

impl Edit {
    /// The id of the annotation changed.
    pub fn id(&self) -> AnnotationId {
        self.record.annotation().id
    }

    /// What kind of change this is, for status messages ("created", "deleted"…).
    pub(crate) fn kind(&self) -> &'static str {
        match (&self.before, &self.after) {
            (None, Some(_)) => "created",
            (Some(_), None) => "deleted",
            (Some(b), Some(a)) if b.label != a.label => "relabelled",
            (Some(b), Some(a)) if b.targets != a.targets => "re-attached",
            _ => "edited",
        }
    }
}

/// How a merge of snapshots went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Snapshots that replaced an older state (or added a new annotation): append these to
    /// the store.
    pub applied: Vec<LogRecord>,
    /// Snapshots no newer than what was already known.
    pub ignored: usize,
    /// Newer snapshots of an annotation edited differently here: the local one is kept and
    /// the imported one added beside it under a new id (local id, new id).
    pub conflicts: Vec<(AnnotationId, AnnotationId)>,
}

/// The annotations of one corpus: the live ones and the last state of the deleted ones (kept
/// so a revision number never goes back and an old snapshot never resurrects a deletion).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotationSet {
    live: BTreeMap<AnnotationId, Annotation>,
    deleted: BTreeMap<AnnotationId, Annotation>,
}

impl AnnotationSet {
    /// An empty set.
    pub fn new() -> AnnotationSet {
        AnnotationSet::default()
    }

    /// Number of live annotations.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether there is no live annotation.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// A live annotation by id.
    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.live.get(id)
    }

    /// Live annotations in id order (which is creation order, ids being UUIDv7).
    pub fn iter(&self) -> impl Iterator<Item = &Annotation> {
        self.live.values()
    }

    /// Live annotations with a target in `article`, in creation order.
    pub(crate) fn for_article<'a>(
        &'a self,
        article: &'a crate::corpus::Article,
    ) -> impl Iterator<Item = &'a Annotation> {
        self.live
            .values()
            .filter(move |a| a.targets.iter().any(|t| t.is_in(article)))
    }

    #[cfg(test)]
    /// Deleted annotations' last states.
    pub(crate) fn deleted(&self) -> impl Iterator<Item = &Annotation> {
        self.deleted.values()
    }

    /// Every log record needed to rebuild this set (for compaction).
    pub(crate) fn records(&self) -> Vec<LogRecord> {
        let mut out: Vec<LogRecord> = self.live.values().cloned().map(LogRecord::Put).collect();
        out.extend(self.deleted.values().cloned().map(LogRecord::Delete));
        out.sort_by_key(|r| r.annotation().id);
        out
    }

    /// The revision known of `id` (live or deleted), None when the id is unknown.
    pub(crate) fn revision_of(&self, id: &AnnotationId) -> Option<u64> {
        self.live
            .get(id)
            .or_else(|| self.deleted.get(id))
            .map(|a| a.revision)
    }

    fn last_revision(&self, id: &AnnotationId) -> u64 {
        self.live
            .get(id)
            .or_else(|| self.deleted.get(id))
            .map_or(0, |a| a.revision)
    }

    /// Applies a snapshot if it is newer than what is known of its id (same revision: the
    /// later one wins, as in the log). Returns whether it was applied.
    pub(crate) fn apply(&mut self, record: LogRecord) -> bool {
        let a = record.annotation();
        let known = self.live.get(&a.id).or_else(|| self.deleted.get(&a.id));
        if known.is_some_and(|k| k.revision > a.revision) {
            return false;
        }
        let id = a.id;
        self.live.remove(&id);
        self.deleted.remove(&id);
        match record {
            LogRecord::Put(a) => self.live.insert(id, a),
            LogRecord::Delete(a) => self.deleted.insert(id, a),
        };
        true
    }

    /// Merges snapshots from elsewhere (an import): by id, the highest revision wins; an equal
    /// revision keeps what is here. A newer snapshot never replaces a live annotation that
    /// says something else (a different local edit): both are kept, the imported one under a
    /// new id, and the conflict reported; importing the same file again adds nothing.
    pub(crate) fn merge(&mut self, records: impl IntoIterator<Item = LogRecord>) -> MergeReport {
        let mut report = MergeReport::default();
        for r in records {
            let a = r.annotation();
            if a.validate().is_err() || self.last_revision(&a.id) >= a.revision {
                report.ignored += 1;
                continue;
            }
            let local = self.live.get(&a.id);
            let conflict = match (&r, local) {
                (LogRecord::Put(new), Some(local)) => !local.same_content(new),
                // A deletion from elsewhere of an annotation still live and edited here.
                (LogRecord::Delete(gone), Some(local)) => !local.same_content(gone),
                _ => false,
            };
            if !conflict {
                self.apply(r.clone());
                report.applied.push(r);
                continue;
            }
            let LogRecord::Put(theirs) = r else {
                // Their deletion of what was edited here: the edit is kept.
                report.ignored += 1;
                continue;
            };
            // Already kept beside it by an earlier import: nothing new.
            if self
                .live
                .values()
                .any(|x| x.id != theirs.id && x.same_content(&theirs))
            {
                report.ignored += 1;
                continue;
            }
            let mut copy = theirs;
            let local_id = copy.id;
            copy.id = AnnotationId::new_v7();
            copy.revision = 1;
            let record = LogRecord::Put(copy.clone());
            self.apply(record.clone());
            report.applied.push(record);
            report.conflicts.push((local_id, copy.id));
        }
        report
    }

    /// Adds a new annotation (made with [`Annotation::new`]).
    pub fn create(&mut self, annotation: Annotation) -> Result<Edit, ModelError> {
        annotation.validate()?;
        if self.live.contains_key(&annotation.id) || self.deleted.contains_key(&annotation.id) {
            return Err(ModelError::Exists(annotation.id));
        }
        let record = LogRecord::Put(annotation.clone());
        self.apply(record.clone());
        Ok(Edit {
            before: None,
            revision: annotation.revision,
            after: Some(annotation),
            record,
            revived: None,
        })
    }

    /// Changes the note (`None` or blank removes it).
    pub fn edit_note(
        &mut self,
        id: &AnnotationId,
        note: Option<String>,
        now: Timestamp,
    ) -> Result<Edit, ModelError> {
        let note = note.filter(|n| !n.trim().is_empty());
        self.update(id, now, |a| a.note = note)
    }

    /// Changes the label.
    pub fn relabel(
        &mut self,
        id: &AnnotationId,
        label: LabelId,
        now: Timestamp,
    ) -> Result<Edit, ModelError> {
        if label.as_str().is_empty() {
            return Err(ModelError::NoLabel);
        }
        self.update(id, now, |a| a.label = label)
    }

    /// Re-attaches an annotation to new targets (an orphan placed by hand, a fuzzy match
    /// confirmed).
    pub fn retarget(
        &mut self,
        id: &AnnotationId,
        targets: Vec<Target>,
        now: Timestamp,
    ) -> Result<Edit, ModelError> {
        if !(1..=2).contains(&targets.len()) {
            return Err(ModelError::TargetCount(targets.len()));
        }
        self.update(id, now, |a| a.targets = targets)
    }

    /// Deletes an annotation (its last state is kept for undo and for the log).
    pub(crate) fn delete(&mut self, id: &AnnotationId, now: Timestamp) -> Result<Edit, ModelError> {
        let before = self
            .live
            .get(id)
            .cloned()
            .ok_or(ModelError::NotFound(*id))?;
        let mut gone = before.clone();
        gone.revision = super::model::next_revision(gone.revision)?;
        gone.modified = now;
        let record = LogRecord::Delete(gone.clone());
        self.apply(record.clone());
        Ok(Edit {
            before: Some(before),
            after: None,
            revision: gone.revision,
            record,
            revived: None,
        })
    }

    /// Takes back an edit that could not be made durable (the store refused the append): the
    /// set returns to exactly its state before `edit`, which must be the last change made.
    pub(crate) fn revert(&mut self, edit: &Edit) {
        let id = edit.id();
        self.live.remove(&id);
        self.deleted.remove(&id);
        match (&edit.before, &edit.revived) {
            (Some(b), _) => {
                self.live.insert(id, b.clone());
            }
            (None, Some(t)) => {
                self.deleted.insert(id, t.clone());
            }
            (None, None) => {}
        }
    }

    /// Sets `id` to `state` (`None`: deleted) as a new revision: what undo and redo do.
    pub(crate) fn restore(
        &mut self,
        id: &AnnotationId,
        state: Option<&Annotation>,
        now: Timestamp,
    ) -> Result<Edit, ModelError> {
        let before = self.live.get(id).cloned();
        let revived = self.deleted.get(id).cloned();
        let revision = super::model::next_revision(self.last_revision(id))?;
        match state {
            Some(s) => {
                let mut a = s.clone();
                a.revision = revision;
                a.modified = now;
                let record = LogRecord::Put(a.clone());
                self.apply(record.clone());
                Ok(Edit {
                    before,
                    after: Some(a),
                    revision,
                    record,
                    revived,
                })
            }
            None => {
                let mut gone = before.clone().ok_or(ModelError::NotFound(*id))?;
                gone.revision = revision;
                gone.modified = now;
                let record = LogRecord::Delete(gone);
                self.apply(record.clone());
                Ok(Edit {
                    before,
                    after: None,
                    revision,
                    record,
                    revived: None,
                })
            }
        }
    }

    fn update(
        &mut self,
        id: &AnnotationId,
        now: Timestamp,
        change: impl FnOnce(&mut Annotation),
    ) -> Result<Edit, ModelError> {
        let before = self
            .live
            .get(id)
            .cloned()
            .ok_or(ModelError::NotFound(*id))?;
        let mut after = before.clone();
        change(&mut after);
        after.revision = super::model::next_revision(after.revision)?;
        after.validate()?;
        after.modified = now;
        let record = LogRecord::Put(after.clone());
        self.apply(record.clone());
        Ok(Edit {
            before: Some(before),
            revision: after.revision,
            after: Some(after),
            record,
            revived: None,
        })
    }
}

/// The undo and redo stacks of annotation changes. Undoing or redoing is itself a new
/// revision, appended to the log like any change, so nothing is ever rewritten.
///
/// When the store refuses the edit an undo (redo) returned, take it back with
/// [`AnnotationSet::revert`] and [`History::undo_failed`] ([`History::redo_failed`]).
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl History {
    /// Empty stacks.
    #[cfg(test)]
    pub(crate) fn new() -> History {
        History::default()
    }

    /// Records a change just made (clears the redo stack).
    pub fn push(&mut self, edit: Edit) {
        self.undo.push(edit);
        self.redo.clear();
    }

    #[cfg(test)]
    /// Whether there is something to redo.
    pub(crate) fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last change: returns the new edit to append to the store, `Ok(None)` when
    /// there is nothing to undo.
    pub fn undo(
        &mut self,
        set: &mut AnnotationSet,
        now: Timestamp,
    ) -> Result<Option<Edit>, ModelError> {
        let Some(edit) = self.undo.pop() else {
            return Ok(None);
        };
        match set.restore(&edit.id(), edit.before.as_ref(), now) {
            Ok(applied) => {
                self.redo.push(edit);
                Ok(Some(applied))
            }
            Err(e) => {
                self.undo.push(edit);
                Err(e)
            }
        }
    }

    #[cfg(test)]
    /// Puts back the change the last [`History::undo`] took off the undo stack, after its edit
    /// could not be stored (and was reverted).
    pub(crate) fn undo_failed(&mut self) {
        if let Some(e) = self.redo.pop() {
            self.undo.push(e);
        }
    }

    #[cfg(test)]
    /// Puts back the change the last [`History::redo`] took off the redo stack, after its edit
    /// could not be stored (and was reverted).
    pub(crate) fn redo_failed(&mut self) {
        if let Some(e) = self.undo.pop() {
            self.redo.push(e);
        }
    }

    /// Redoes the last undone change: returns the new edit to append to the store.
    pub(crate) fn redo(
        &mut self,
        set: &mut AnnotationSet,
        now: Timestamp,
    ) -> Result<Option<Edit>, ModelError> {
        let Some(edit) = self.redo.pop() else {
            return Ok(None);
        };
        match set.restore(&edit.id(), edit.after.as_ref(), now) {
            Ok(applied) => {
                self.undo.push(edit);
                Ok(Some(applied))
            }
            Err(e) => {
                self.redo.push(edit);
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::model::Granularity;

    fn sample(label: &str) -> Annotation {
        let t = Target::from_char_span("a", "s", "hello world", 6..11, Granularity::Word).unwrap();
        Annotation::new(
            vec![t],
            label.into(),
            None,
            "ana",
            Timestamp::from_unix(100),
        )
        .unwrap()
    }

    #[test]
    fn every_operation_bumps_the_revision_and_logs_a_snapshot() {
        let mut set = AnnotationSet::new();
        let a = sample("reworded");
        let id = a.id;
        let e1 = set.create(a).unwrap();
        assert_eq!((e1.kind(), e1.revision), ("created", 1));
        let e2 = set
            .edit_note(&id, Some("why".into()), Timestamp::from_unix(200))
            .unwrap();
        assert_eq!((e2.kind(), e2.revision), ("edited", 2));
        assert_eq!(set.get(&id).unwrap().note.as_deref(), Some("why"));
        assert_eq!(set.get(&id).unwrap().modified, Timestamp::from_unix(200));
        let e3 = set
            .relabel(&id, "softened".into(), Timestamp::from_unix(300))
            .unwrap();
        assert_eq!((e3.kind(), e3.revision), ("relabelled", 3));
        let e4 = set.delete(&id, Timestamp::from_unix(400)).unwrap();
        assert_eq!((e4.kind(), e4.revision), ("deleted", 4));
        assert!(matches!(&e4.record, LogRecord::Delete(a) if a.revision == 4));
        assert!(set.is_empty());
        assert_eq!(
            set.delete(&id, Timestamp::from_unix(500)),
            Err(ModelError::NotFound(id))
        );
    }

    #[test]
    fn undo_and_redo_walk_back_and_forth_with_new_revisions() {
        let mut set = AnnotationSet::new();
        let mut history = History::new();
        let a = sample("reworded");
        let id = a.id;
        let now = Timestamp::from_unix(1000);
        history.push(set.create(a).unwrap());
        history.push(set.relabel(&id, "softened".into(), now).unwrap());
        history.push(set.delete(&id, now).unwrap());
        assert!(set.get(&id).is_none());

        let u1 = history.undo(&mut set, now).unwrap().unwrap();
        assert_eq!(u1.revision, 4);
        assert_eq!(set.get(&id).unwrap().label.as_str(), "softened");
        let u2 = history.undo(&mut set, now).unwrap().unwrap();
        assert_eq!(u2.revision, 5);
        assert_eq!(set.get(&id).unwrap().label.as_str(), "reworded");
        let u3 = history.undo(&mut set, now).unwrap().unwrap();
        assert!(matches!(u3.record, LogRecord::Delete(_)));
        assert!(set.get(&id).is_none());
        assert_eq!(history.undo(&mut set, now).unwrap(), None);

        history.redo(&mut set, now).unwrap().unwrap();
        assert_eq!(set.get(&id).unwrap().label.as_str(), "reworded");
        history.redo(&mut set, now).unwrap().unwrap();
        assert_eq!(set.get(&id).unwrap().label.as_str(), "softened");
        assert_eq!(set.get(&id).unwrap().revision, 8);
        // A new change clears the redo stack.
        history.push(set.edit_note(&id, Some("n".into()), now).unwrap());
        assert!(!history.can_redo());
        assert_eq!(history.redo(&mut set, now).unwrap(), None);
    }

    #[test]
    fn revert_takes_back_any_change_exactly() {
        let mut set = AnnotationSet::new();
        let mut history = History::new();
        let a = sample("reworded");
        let id = a.id;
        let now = Timestamp::from_unix(3);
        let empty = set.clone();
        let created = set.create(a).unwrap();
        set.revert(&created);
        assert_eq!(set, empty);
        history.push(set.create(created.after.clone().unwrap()).unwrap());
        let one = set.clone();
        let relabel = set.relabel(&id, "softened".into(), now).unwrap();
        set.revert(&relabel);
        assert_eq!(set, one);
        history.push(set.delete(&id, now).unwrap());
        let deleted = set.clone();
        let undo = history.undo(&mut set, now).unwrap().unwrap();
        assert!(undo.revived.is_some());
        set.revert(&undo);
        history.undo_failed();
        assert_eq!(set, deleted);
        assert!(!history.can_redo());
        // The undo can be tried again.
        history.undo(&mut set, now).unwrap().unwrap();
        assert!(set.get(&id).is_some());
        let redo = history.redo(&mut set, now).unwrap().unwrap();
        set.revert(&redo);
        history.redo_failed();
        assert!(set.get(&id).is_some() && history.can_redo());
    }

    #[test]
    fn replaying_the_log_rebuilds_the_set() {
        let mut set = AnnotationSet::new();
        let mut log = Vec::new();
        let a = sample("reworded");
        let b = sample("correction");
        let (ida, idb) = (a.id, b.id);
        let now = Timestamp::from_unix(5);
        log.push(set.create(a).unwrap().record);
        log.push(set.create(b).unwrap().record);
        log.push(set.edit_note(&ida, Some("x".into()), now).unwrap().record);
        log.push(set.delete(&idb, now).unwrap().record);
        let mut replay = AnnotationSet::new();
        for r in log.iter().rev() {
            replay.apply(r.clone());
        }
        assert_eq!(replay, set);
        assert_eq!(replay.deleted().next().unwrap().id, idb);
    }

    #[test]
    fn an_import_never_silently_replaces_a_different_local_edit() {
        let mut set = AnnotationSet::new();
        let a = sample("reworded");
        let id = a.id;
        let theirs_base = a.clone();
        set.create(a).unwrap();
        set.edit_note(&id, Some("my local note".into()), Timestamp::from_unix(9))
            .unwrap();
        let mut theirs = theirs_base;
        theirs.revision = 5;
        theirs.note = Some("their note".into());
        let report = set.merge([LogRecord::Put(theirs.clone())]);
        assert_eq!(report.conflicts.len(), 1, "{report:?}");
        assert_eq!(set.get(&id).unwrap().note.as_deref(), Some("my local note"));
        let (local, copy) = report.conflicts[0];
        assert_eq!(local, id);
        assert_eq!(set.get(&copy).unwrap().note.as_deref(), Some("their note"));
        assert_eq!(set.len(), 2);
        // The same import again adds nothing.
        let again = set.merge([LogRecord::Put(theirs.clone())]);
        assert_eq!((again.applied.len(), again.conflicts.len()), (0, 0));
        assert_eq!(set.len(), 2);
        // Their deletion does not take the local edit away either.
        let mut gone = theirs;
        gone.revision = 6;
        set.merge([LogRecord::Delete(gone)]);
        assert_eq!(set.get(&id).unwrap().note.as_deref(), Some("my local note"));
        // A newer snapshot saying what is here is simply taken.
        let mut same = set.get(&id).unwrap().clone();
        same.revision = 40;
        let r = set.merge([LogRecord::Put(same)]);
        assert_eq!((r.applied.len(), r.conflicts.len()), (1, 0));
        assert_eq!(set.get(&id).unwrap().revision, 40);
    }

    #[test]
    fn a_revision_at_the_limit_never_wraps() {
        let mut set = AnnotationSet::new();
        let a = sample("reworded");
        let id = a.id;
        set.create(a.clone()).unwrap();
        let mut huge = a.clone();
        huge.revision = u64::MAX;
        let r = set.merge([LogRecord::Put(huge)]);
        assert_eq!((r.applied.len(), r.ignored), (0, 1), "u64::MAX is refused");
        let mut top = a;
        top.revision = crate::annotate::model::MAX_REVISION;
        set.merge([LogRecord::Put(top)]);
        assert_eq!(
            set.get(&id).unwrap().revision,
            crate::annotate::model::MAX_REVISION
        );
        let now = Timestamp::from_unix(9);
        assert!(set.edit_note(&id, Some("x".into()), now).is_err());
        assert!(set.delete(&id, now).is_err());
        assert!(set.restore(&id, None, now).is_err());
        assert_eq!(
            set.get(&id).unwrap().revision,
            crate::annotate::model::MAX_REVISION
        );
    }

    #[test]
    fn merge_keeps_the_highest_revision_and_never_resurrects() {
        let mut set = AnnotationSet::new();
        let a = sample("reworded");
        let id = a.id;
        let old = a.clone();
        set.create(a).unwrap();
        set.delete(&id, Timestamp::from_unix(9)).unwrap();
        let report = set.merge([LogRecord::Put(old.clone())]);
        assert_eq!((report.applied.len(), report.ignored), (0, 1));
        assert!(set.get(&id).is_none());
        let mut newer = old;
        newer.revision = 7;
        newer.note = Some("imported".into());
        let report = set.merge([LogRecord::Put(newer)]);
        assert_eq!(report.applied.len(), 1);
        assert_eq!(set.get(&id).unwrap().note.as_deref(), Some("imported"));
    }
}
