//! Accounts: roles, passwords and what a registration form must hold.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::comment::{AuthorName, Email};
use super::FieldError;

/// What an account may do site-wide. Speaking for a department is a separate grant
/// (an official role), held by readers and moderators alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Reader,
    Moderator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reader, Role::Moderator, Role::Admin];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "reader" => Some(Self::Reader),
            "moderator" => Some(Self::Moderator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Reader => "Reader",
            Self::Moderator => "Moderator",
            Self::Admin => "Admin",
        }
    }

    pub fn can_moderate(self) -> bool {
        self >= Self::Moderator
    }

    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }
}

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 200;

/// A new password: long enough to resist guessing, short enough to hash quickly.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, FieldError> {
        let count = raw.chars().count();
        if count == 0 {
            return Err(FieldError::new(field, "Enter a password"));
        }
        if count < PASSWORD_MIN {
            return Err(FieldError::new(field, format!("Password must be at least {PASSWORD_MIN} characters")));
        }
        if count > PASSWORD_MAX {
            return Err(FieldError::new(field, format!("Password must be {PASSWORD_MAX} characters or fewer")));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// argon2id with the OWASP parameters: 19 MiB, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub fn hash_password(password: &NewPassword) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher().hash_password(password.as_str().as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// True when `password` matches `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the time of one verification, so a sign-in with an unknown email takes as
/// long as one with a wrong password.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let password = NewPassword("not-a-real-password".to_owned());
        hash_password(&password).unwrap_or_default()
    });
    let _ = verify_password(password, &DUMMY);
}

/// A valid registration.
pub struct Registration {
    pub name: AuthorName,
    pub email: Email,
    pub password: NewPassword,
}

impl Registration {
    pub fn parse(name: &str, email: &str, password: &str) -> Result<Self, Vec<FieldError>> {
        let name = AuthorName::parse(name);
        let email = Email::parse(email);
        let password = NewPassword::parse(password, "password");
        match (name, email, password) {
            (Ok(name), Ok(email), Ok(password)) => Ok(Self { name, email, password }),
            (name, email, password) => Err([name.err(), email.err(), password.err()].into_iter().flatten().collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let password = NewPassword::parse("correct horse battery", "password").unwrap();
        let hash = hash_password(&password).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn passwords_have_a_minimum_and_maximum_length() {
        assert_eq!(NewPassword::parse("", "password").err().unwrap().message, "Enter a password");
        assert!(NewPassword::parse("short", "password").is_err());
        assert!(NewPassword::parse(&"p".repeat(PASSWORD_MAX + 1), "password").is_err());
        assert!(NewPassword::parse("ten chars!", "password").is_ok());
    }

    #[test]
    fn roles_round_trip_and_rank() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Official"), None, "official is a grant per department, not a role");
        assert!(Role::Admin.can_moderate() && Role::Moderator.can_moderate() && !Role::Reader.can_moderate());
    }
}
