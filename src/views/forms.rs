//! Form fields after the GOV.UK pattern: label, hint, error message, and the value
//! as typed, with the field marked invalid when it has an error.

use maud::{html, Markup};

use super::components::{error_for, field_id};
use crate::domain::FieldError;

/// One input's description.
pub struct Field<'a> {
    pub name: &'static str,
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub value: &'a str,
}

impl<'a> Field<'a> {
    pub fn new(name: &'static str, label: &'a str, value: &'a str) -> Self {
        Self { name, label, hint: None, value }
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
}

fn describedby(field: &Field, has_error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if field.hint.is_some() {
        ids.push(format!("{}-hint", field.name));
    }
    if has_error {
        ids.push(format!("{}-error", field.name));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn label_hint_error(field: &Field, error: Option<&str>) -> Markup {
    html! {
        label for=(field_id(field.name)) { (field.label) }
        @if let Some(hint) = field.hint { span.hint id=(format!("{}-hint", field.name)) { (hint) } }
        @if let Some(message) = error {
            span.error-message id=(format!("{}-error", field.name)) { span.visually-hidden { "Error: " } (message) }
        }
    }
}

/// `<input>` of the given type (text, email, password, number).
pub fn input(errors: &[FieldError], field: Field, kind: &str, autocomplete: &str) -> Markup {
    let error = error_for(errors, field.name);
    // Passwords are never sent back to the page.
    let value = if kind == "password" { "" } else { field.value };
    html! {
        div.form-group.form-group--error[error.is_some()] {
            (label_hint_error(&field, error))
            input.input--error[error.is_some()] type=(kind) id=(field_id(field.name)) name=(field.name) value=(value)
                autocomplete=(autocomplete) spellcheck="false" aria-describedby=[describedby(&field, error.is_some())];
        }
    }
}

/// `<textarea>`, its text kept exactly as typed.
pub fn textarea(errors: &[FieldError], field: Field, rows: u32) -> Markup {
    let error = error_for(errors, field.name);
    html! {
        div.form-group.form-group--error[error.is_some()] {
            (label_hint_error(&field, error))
            textarea.input--error[error.is_some()] id=(field_id(field.name)) name=(field.name) rows=(rows)
                aria-describedby=[describedby(&field, error.is_some())] { (field.value) }
        }
    }
}

/// A group of radio buttons; `options` are (value, label).
pub fn radios(
    errors: &[FieldError],
    name: &'static str,
    legend: &str,
    options: &[(String, String)],
    chosen: &str,
) -> Markup {
    let error = error_for(errors, name);
    html! {
        div.form-group.form-group--error[error.is_some()] {
            fieldset.radios id=(field_id(name)) aria-describedby=[error.map(|_| format!("{name}-error"))] {
                legend { (legend) }
                @if let Some(message) = error {
                    span.error-message id=(format!("{name}-error")) { span.visually-hidden { "Error: " } (message) }
                }
                @for (i, (value, label)) in options.iter().enumerate() {
                    @let id = format!("{}-{i}", field_id(name));
                    div.radio {
                        input type="radio" id=(id) name=(name) value=(value) checked[value == chosen];
                        label for=(id) { (label) }
                    }
                }
            }
        }
    }
}

/// A `<select>`; `options` are (value, label).
pub fn select(errors: &[FieldError], field: Field, options: &[(String, String)]) -> Markup {
    let error = error_for(errors, field.name);
    html! {
        div.form-group.form-group--error[error.is_some()] {
            (label_hint_error(&field, error))
            select id=(field_id(field.name)) name=(field.name) aria-describedby=[describedby(&field, error.is_some())] {
                @for (value, label) in options {
                    option value=(value) selected[value == field.value] { (label) }
                }
            }
        }
    }
}

/// The hidden CSRF field every state-changing form carries; none on a public page,
/// whose forms are checked by their origin (see `web::csrf`).
pub fn csrf(token: &str) -> Markup {
    html! {
        @if !token.is_empty() {
            input type="hidden" name="_csrf" value=(token);
        }
    }
}

/// One checkbox with its label (and a hint), ticked or not.
pub fn checkbox(name: &'static str, value: &str, label: &str, hint: Option<&str>, checked: bool) -> Markup {
    let id = field_id(name);
    html! {
        div.form-group {
            div.checkbox {
                input type="checkbox" id=(id) name=(name) value=(value) checked[checked]
                    aria-describedby=[hint.map(|_| format!("{name}-hint"))];
                label for=(id) { (label) }
            }
            @if let Some(hint) = hint { span.hint.checkbox-hint id=(format!("{name}-hint")) { (hint) } }
        }
    }
}
