//! The JSON body of a write request. It is read as JSON first and its text checked
//! before it becomes the request type, so text that cannot be stored (U+0000) is
//! refused the same way on both backends, with the field named, instead of failing
//! deep in the database.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;
use crate::domain::{self, FieldError};

pub struct JsonBody<T>(pub T);

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<Value>::from_request(req, payload);
        Box::pin(async move {
            let value = json.await?.into_inner();
            if let Some(path) = domain::unstorable_path(&value, "") {
                return Err(ApiError::validation(vec![FieldError::new(path, domain::UNSTORABLE_MESSAGE)]).into());
            }
            serde_json::from_value(value).map(JsonBody).map_err(super::bad_json)
        })
    }
}
