//! Commands for the people and organisations behind the site: accounts, departments,
//! officials and the working-day calendar.

use super::{connect, CliError, DepartmentCommand, HolidayCommand, OfficialCommand, UserCommand};
use crate::config::Settings;
use crate::db;
use crate::domain::account::{NewPassword, Registration, Role};
use crate::domain::department::DepartmentInput;
use crate::services::{accounts, departments, officials};

pub(super) fn user(settings: &Settings, command: UserCommand) -> Result<(), CliError> {
    match command {
        UserCommand::Create { email, name, role, password_stdin } => {
            let role = Role::parse(&role)
                .ok_or_else(|| CliError::Input(format!("--role `{role}`: use reader, moderator or admin")))?;
            let password = read_password(password_stdin)?;
            let registration = Registration::parse(&name, &email, &password).map_err(|errors| {
                CliError::Input(
                    errors.iter().map(|e| format!("--{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "),
                )
            })?;
            let (mut conn, _) = connect(settings)?;
            let user = accounts::create_user(&mut conn, &registration, role)?;
            // An admin creating an account vouches for its address.
            crate::db::users::set_email_verified(&mut conn, user.id, crate::domain::time::now())?;
            println!("Created {} account {} for {} ({}).", role.as_str(), user.id, user.name, user.email);
            Ok(())
        }
        UserCommand::Password { email, password_stdin } => {
            let password = read_password(password_stdin)?;
            let password = NewPassword::parse(&password, "password")
                .map_err(|e| CliError::Input(format!("--password: {}", e.message)))?;
            let (mut conn, _) = connect(settings)?;
            match accounts::set_password(&mut conn, &email, &password)? {
                Some(user) => println!("New password set for {} ({}).", user.name, user.email),
                None => return Err(CliError::Input(format!("--email: no account has the email {email}"))),
            }
            Ok(())
        }
    }
}

pub(super) fn department(settings: &Settings, command: DepartmentCommand) -> Result<(), CliError> {
    match command {
        DepartmentCommand::Create { name, acronym, aliases, email_domains, target_days, description } => {
            let input = DepartmentInput::parse(
                &name,
                &acronym,
                &description,
                &aliases.join("\n"),
                &email_domains.join("\n"),
                &target_days.to_string(),
            )
            .map_err(|errors| {
                CliError::Input(
                    errors
                        .iter()
                        .map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })?;
            let (mut conn, _) = connect(settings)?;
            let id = departments::create(&mut conn, &input, None)?;
            println!(
                "Created department {id}: {} ({}), response target {} working days.",
                input.name, input.acronym, input.target_days
            );
            Ok(())
        }
        DepartmentCommand::List => {
            let (mut conn, _) = connect(settings)?;
            let list = db::departments::list_detailed(&mut conn)?;
            if list.is_empty() {
                println!("No departments yet. Create one with: answerable department create --name N --acronym A");
            }
            for d in list {
                println!(
                    "{:>4}  {:<8}  {:<40}  target {} days  aliases: {}  domains: {}",
                    d.department.id,
                    d.department.acronym,
                    d.department.name,
                    d.department.target_days,
                    if d.aliases.is_empty() { "-".into() } else { d.aliases.join(", ") },
                    if d.email_domains.is_empty() { "-".into() } else { d.email_domains.join(", ") },
                );
            }
            Ok(())
        }
    }
}

pub(super) fn official(settings: &Settings, command: OfficialCommand) -> Result<(), CliError> {
    match command {
        OfficialCommand::Grant { email, department, title } => {
            let (mut conn, _) = connect(settings)?;
            let target = officials::GrantTarget { email: &email, department_acronym: &department };
            officials::grant(&mut conn, &target, &title, None)?;
            println!("{email} is now a verified official of {department}, as {}.", title.trim());
            Ok(())
        }
        OfficialCommand::Revoke { email, department } => {
            let (mut conn, _) = connect(settings)?;
            let target = officials::GrantTarget { email: &email, department_acronym: &department };
            officials::revoke(&mut conn, &target, None)?;
            println!("{email} is no longer an official of {department}; replies already posted keep their badge.");
            Ok(())
        }
        OfficialCommand::List => {
            let (mut conn, _) = connect(settings)?;
            for o in db::officials::all_listings(&mut conn)? {
                let state = match o.revoked_at {
                    Some(at) => format!("revoked {}", at.format("%Y-%m-%d")),
                    None => "current".to_owned(),
                };
                println!(
                    "{:<30}  {:<30}  {:<8}  {:<40}  granted {}  {state}",
                    o.user_name,
                    o.user_email,
                    o.department_acronym,
                    o.title,
                    o.granted_at.format("%Y-%m-%d")
                );
            }
            Ok(())
        }
    }
}

pub(super) fn holiday(settings: &Settings, command: HolidayCommand) -> Result<(), CliError> {
    let (mut conn, _) = connect(settings)?;
    match command {
        HolidayCommand::Add { date, name } => {
            let name = name.trim();
            let added = db::responses::add_holiday(&mut conn, date, name)?;
            let named = if name.is_empty() { String::new() } else { format!(" ({name})") };
            println!(
                "{} holiday {date}{named}; it is no longer a working day.",
                if added { "Added" } else { "Updated" }
            );
        }
        HolidayCommand::List => {
            let holidays = db::responses::holidays(&mut conn)?;
            if holidays.is_empty() {
                println!("No holidays yet. Add one with: answerable holiday add 2026-12-25 --name \"Christmas Day\"");
            }
            for (day, name) in holidays {
                println!("{day}  {}  {name}", day.format("%a"));
            }
        }
        HolidayCommand::Remove { date } => {
            if !db::responses::remove_holiday(&mut conn, date)? {
                return Err(CliError::Input(format!("{date} is not a holiday")));
            }
            println!("Removed holiday {date}.");
        }
    }
    Ok(())
}

/// The new account's password: typed twice at a prompt, or one line of standard input.
fn read_password(from_stdin: bool) -> Result<String, CliError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_owned());
    }
    let first = rpassword::prompt_password("Password for the account: ")?;
    let second = rpassword::prompt_password("The same password again: ")?;
    if first != second {
        return Err(CliError::Input("the two passwords were not the same".into()));
    }
    Ok(first)
}
