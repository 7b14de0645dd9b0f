//! What the diff and collation views annotate, and the annotated readings the collation marks.

use super::*;

impl App {
    /// `a` in the diff view: the change under the cursor, both sides at once.
    pub(in crate::app) fn diff_annotate(&mut self) {
        if let Some(reason) = &self.ann.read_only {
            let msg = format!("Annotations are read-only: {reason}");
            self.error(&msg);
            return;
        }
        let Some(d) = self.diff() else {
            return;
        };
        let op = match d.items.get(d.cursor) {
            Some(diff::DiffItem::Op(i)) => &d.cmp.ops[*i],
            _ => {
                self.info("Move to a sentence (not a moved sentence's old place) to annotate");
                return;
            }
        };
        let story = &self.lib.stories[d.story].id;
        let mut targets = Vec::new();
        for (version, sentences, range) in [
            (d.a, &d.cmp.a, op.a_sentences()),
            (d.b, &d.cmp.b, op.b_sentences()),
        ] {
            if range.is_empty() {
                continue;
            }
            let Some(article) = self.lib.article(d.story, version) else {
                continue;
            };
            let span = sentences[range.start].chars.start..sentences[range.end - 1].chars.end;
            let granularity = if op.kind == crate::compare::OpKind::Equal {
                Granularity::Sentence
            } else {
                Granularity::Span
            };
            targets.push(
                Target::from_char_span(&article.id, story, &article.body(), span, granularity)
                    .map(|t| t.keyed(&article.key)),
            );
        }
        let targets: Result<Vec<Target>, _> = targets.into_iter().collect();
        let targets = match targets {
            Ok(t) if !t.is_empty() => t,
            Ok(_) => return,
            Err(e) => {
                self.error(&format!("Cannot annotate this: {e}"));
                return;
            }
        };
        self.ann.target = Some(targets);
        self.layers.push(View::LabelPick);
    }

    /// `a` in the collation view: the selected reading in the selected version, and in the
    /// base version (column 0) too when it carries the reading, like a change in the diff view.
    pub(in crate::app) fn collate_annotate(&mut self) {
        if let Some(reason) = &self.ann.read_only {
            let msg = format!("Annotations are read-only: {reason}");
            self.error(&msg);
            return;
        }
        let Some(view) = self.collate_view() else {
            return;
        };
        let (row, col) = (view.row.selected, view.column);
        let spans = view.table.reading_spans(row);
        let Some(own) = spans.iter().find(|(c, _)| *c == col) else {
            self.info("This version does not carry the reading: choose one that does (h/l)");
            return;
        };
        let mut chosen = Vec::new();
        if col != 0
            && let Some(base) = spans.iter().find(|(c, _)| *c == 0)
        {
            chosen.push(base.clone());
        }
        chosen.push(own.clone());
        let story = &self.lib.stories[view.story].id;
        let targets: Result<Vec<Target>, _> = chosen
            .into_iter()
            .filter_map(|(c, span)| {
                let input = view.table.versions.get(c)?.input;
                let article = self.lib.article_at(*view.articles.get(input)?)?;
                Some(
                    Target::from_char_span(
                        &article.id,
                        story,
                        &article.body(),
                        span,
                        Granularity::Sentence,
                    )
                    .map(|t| t.keyed(&article.key)),
                )
            })
            .collect();
        match targets {
            Ok(t) if !t.is_empty() => {
                self.ann.target = Some(t);
                // The label picker opens above the view, which shows again when it closes.
                self.layers.push(View::LabelPick);
            }
            Ok(_) => {}
            Err(e) => self.error(&format!("Cannot annotate this: {e}")),
        }
    }

    /// Gives annotations made before article keys their article's id and key (once, on the
    /// corpus as first loaded by this version): new revisions to store, or kept in memory
    /// only when the store is read-only.
    pub(in crate::app) fn migrate_annotation_ids(&mut self, fx: &mut Vec<Effect>) {
        let now = crate::annotate::Timestamp::now();
        if self.lib.texts.is_some() {
            // The candidates' texts tell them apart: read them (text is held on demand).
            let old: std::collections::HashSet<&str> = self
                .ann
                .set
                .iter()
                .flat_map(|a| &a.targets)
                .filter(|t| t.key.is_none())
                .map(|t| t.article.as_str())
                .collect();
            if !old.is_empty() {
                let legacy = crate::corpus::identity::legacy_ids(&self.lib.corpus.articles);
                let wanted: Vec<usize> = (0..self.lib.corpus.articles.len())
                    .filter(|&i| {
                        old.contains(self.lib.corpus.articles[i].id.as_str())
                            || legacy.get(i).is_some_and(|l| old.contains(l.as_str()))
                    })
                    .collect();
                self.lib.ensure_articles(&wanted);
            }
        }
        let migrated = crate::annotate::migrate::migrate_ids_with(
            &self.lib.corpus,
            &self.ann.set,
            now,
            &|i| self.lib.body_of(i),
        );
        if migrated.is_empty() {
            return;
        }
        for a in migrated {
            let record = crate::annotate::LogRecord::Put(a);
            self.ann.set.apply(record.clone());
            if self.ann.read_only.is_none() {
                fx.push(Effect::AppendAnnotation(Box::new(record)));
            }
        }
        self.ann.generation += 1;
        self.refresh_ann_map();
    }

    /// Where the annotations of `article` stand in its canonical text now, with their labels
    /// (orphans left out).
    pub(in crate::app) fn placed_spans(
        &self,
        article: &crate::corpus::Article,
    ) -> Vec<(Range<usize>, LabelId)> {
        if self.ann.set.for_article(article).next().is_none() {
            return Vec::new();
        }
        let body = article.body();
        place_in_article(
            self.ann.set.for_article(article),
            article,
            &AnchorText::new(&body),
        )
        .into_iter()
        .filter(|p| p.anchoring.status != AnchorStatus::Orphaned)
        .filter_map(|p| Some((p.anchoring.span?, p.label)))
        .collect()
    }

    /// For each reading of the collation, the label of the first annotation found on it in any
    /// version, for the matrix's margin.
    pub(in crate::app) fn collate_marks(
        &self,
        view: &collate::CollateView,
    ) -> Vec<Option<LabelId>> {
        type Spans = Vec<(Range<usize>, LabelId)>;
        let mut placed: Vec<(usize, Spans)> = Vec::new();
        for (col, v) in view.table.versions.iter().enumerate() {
            let Some(article) = view
                .articles
                .get(v.input)
                .and_then(|&a| self.lib.article_at(a))
            else {
                continue;
            };
            let spans = self.placed_spans(article);
            if !spans.is_empty() {
                placed.push((col, spans));
            }
        }
        let rows = view.table.readings.len();
        if placed.is_empty() {
            return vec![None; rows];
        }
        (0..rows)
            .map(|row| {
                view.table
                    .reading_spans(row)
                    .into_iter()
                    .find_map(|(col, r)| {
                        placed
                            .iter()
                            .find(|(c, _)| *c == col)?
                            .1
                            .iter()
                            .find(|(s, _)| s.start < r.end && s.end > r.start)
                            .map(|(_, l)| l.clone())
                    })
            })
            .collect()
    }

    /// Marks the collation's annotated readings again when the annotations changed (not on
    /// every frame).
    pub(in crate::app) fn refresh_collate_marks(&mut self) {
        let generation = self.ann.generation;
        for i in 0..self.layers.len() {
            let marks = match &self.layers[i] {
                View::Collate(view) if view.marks_at != Some(generation) => {
                    self.collate_marks(view)
                }
                _ => continue,
            };
            if let View::Collate(view) = &mut self.layers[i] {
                view.marks = marks;
                view.marks_at = Some(generation);
            }
        }
    }
}
