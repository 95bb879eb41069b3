//! Undo and redo for workspace edits: snapshots before each applied action, with consecutive edits of the same
//! field merged into one step.

use super::action::{Action, ActionError, apply};
use super::catalogue::Catalogue;
use super::workspace::Workspace;

/// The most undo steps kept.
pub const MAX_UNDO: usize = 200;

#[derive(Clone, Debug)]
struct Step {
    before: Workspace,
    label: String,
    coalesce: Option<String>,
}

/// Undo and redo stacks of workspace snapshots.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<(Workspace, String)>,
    /// When false, the next action never merges with the previous one (a field lost focus, a menu was used).
    merge_open: bool,
}

impl History {
    /// Applies `action` to `ws`, recording an undo step; on error nothing changes.
    pub fn apply(
        &mut self,
        ws: &mut Workspace,
        presets: &Catalogue,
        action: Action,
    ) -> Result<(), ActionError> {
        let before = ws.clone();
        let label = action.label();
        let coalesce = action.coalesce_key();
        apply(ws, presets, action)?;
        if *ws == before {
            return Ok(());
        }
        self.redo.clear();
        let merge = self.merge_open
            && coalesce.is_some()
            && self.undo.last().is_some_and(|s| s.coalesce == coalesce);
        if !merge {
            self.undo.push(Step {
                before,
                label,
                coalesce: coalesce.clone(),
            });
            if self.undo.len() > MAX_UNDO {
                self.undo.remove(0);
            }
        }
        self.merge_open = coalesce.is_some();
        Ok(())
    }

    /// Ends the current merge run: the next edit starts a new undo step.
    pub fn seal(&mut self) {
        self.merge_open = false;
    }

    /// Undoes the last step; returns false if there was none.
    pub fn undo(&mut self, ws: &mut Workspace) -> bool {
        match self.undo.pop() {
            Some(step) => {
                let now = std::mem::replace(ws, step.before);
                self.redo.push((now, step.label));
                self.merge_open = false;
                true
            }
            None => false,
        }
    }

    /// Redoes the last undone step; returns false if there was none.
    pub fn redo(&mut self, ws: &mut Workspace) -> bool {
        match self.redo.pop() {
            Some((after, label)) => {
                let before = std::mem::replace(ws, after);
                self.undo.push(Step {
                    before,
                    label,
                    coalesce: None,
                });
                self.merge_open = false;
                true
            }
            None => false,
        }
    }

    /// What Undo would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// What Redo would redo.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|(_, l)| l.as_str())
    }

    /// Forgets every step (a new document).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.merge_open = false;
    }
}
