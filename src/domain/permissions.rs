//! Who may do what. Roles always come from the database; these functions
//! decide from those facts.

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The actor is not on the committee of the item's cell (secretary or
    /// deputy), nor a supervisor of its ward standing in for it.
    NotDecider,
    /// Nobody decides their own report, join request or comment sheet.
    OwnItem,
}

/// The committee of a cell, as the database has it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Committee {
    pub secretary: Option<i64>,
    pub deputy: Option<i64>,
}

impl Committee {
    /// Whether `user_id` is the cell's secretary or deputy.
    pub fn includes(self, user_id: i64) -> bool {
        [self.secretary, self.deputy].contains(&Some(user_id))
    }

    /// Whether someone on the committee other than `owner` can decide an
    /// item of `owner`.
    fn has_other_than(self, owner: i64) -> bool {
        [self.secretary, self.deputy]
            .into_iter()
            .flatten()
            .any(|member| member != owner)
    }
}

/// What the actor is to the item's cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    /// The actor supervises the ward the cell belongs to.
    pub supervises_ward: bool,
}

/// May `actor` decide on (or write the comment sheet of) an item of the
/// cell with `committee`, owned by `item_owner`?
///
/// - Nobody decides their own item.
/// - The secretary and the deputy decide every other item of the cell (so
///   the secretary's own items go to the deputy, the deputy's to the
///   secretary).
/// - A supervisor of the ward decides the items of the secretary or the
///   deputy only, and only where nobody else on the committee can.
pub fn may_decide(actor: Actor, committee: Committee, item_owner: i64) -> Result<(), Denied> {
    if actor.user_id == item_owner {
        return Err(Denied::OwnItem);
    }
    if committee.secretary == Some(actor.user_id) || committee.deputy == Some(actor.user_id) {
        return Ok(());
    }
    if actor.supervises_ward && goes_to_supervisors(committee, item_owner) {
        return Ok(());
    }
    Err(Denied::NotDecider)
}

/// Who is offered an item of `item_owner` first: the secretary (the deputy
/// while the cell has no secretary), or for the committee's own items the
/// other member of the committee; `None`
/// where nobody on the committee can decide it (then the ward's
/// supervisors, for the committee's own items; nobody for a member's item
/// in a cell without secretary).
pub fn first_decider(committee: Committee, item_owner: i64) -> Option<i64> {
    if committee.secretary == Some(item_owner) {
        return committee.deputy.filter(|d| *d != item_owner);
    }
    if committee.deputy == Some(item_owner) {
        return committee.secretary;
    }
    committee.secretary.or(committee.deputy)
}

/// Whether an item of `item_owner` goes to the ward's supervisors because
/// nobody on the committee can decide it.
pub fn goes_to_supervisors(committee: Committee, item_owner: i64) -> bool {
    let owner_on_committee =
        committee.secretary == Some(item_owner) || committee.deputy == Some(item_owner);
    owner_on_committee && !committee.has_other_than(item_owner)
}

/// What a user is, as far as menus and help are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roles {
    pub secretary: bool,
    /// Deputy secretary of a cell.
    pub deputy: bool,
    pub officer: bool,
    pub supervisor: bool,
    /// Administrator of a ward: runs its cells (/cells).
    pub ward_admin: bool,
    pub member: bool,
    pub pending_member: bool,
}

impl Roles {
    /// Secretary or deputy of some cell: decides its items, sees /pending
    /// and /members.
    pub fn committee(self) -> bool {
        self.secretary || self.deputy
    }

    /// What a chat's command menu depends on, as stored with the menu
    /// (`users.menu`): the language and every role.
    pub fn menu_key(self, lang: super::Lang) -> String {
        let flags = [
            self.secretary,
            self.deputy,
            self.officer,
            self.supervisor,
            self.ward_admin,
            self.member,
            self.pending_member,
        ];
        let bits: String = flags.iter().map(|&f| if f { '1' } else { '0' }).collect();
        format!("{}:{bits}", lang.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_menu_key_tells_every_role_and_language_apart() {
        let one = |f: fn(&mut Roles)| {
            let mut r = Roles::default();
            f(&mut r);
            r
        };
        let all = [
            Roles::default(),
            one(|r| r.secretary = true),
            one(|r| r.deputy = true),
            one(|r| r.officer = true),
            one(|r| r.supervisor = true),
            one(|r| r.ward_admin = true),
            one(|r| r.member = true),
            one(|r| r.pending_member = true),
        ];
        let mut keys: Vec<String> = all
            .iter()
            .flat_map(|r| {
                [
                    r.menu_key(super::super::Lang::Vi),
                    r.menu_key(super::super::Lang::En),
                ]
            })
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all.len() * 2);
        assert_eq!(
            Roles::default().menu_key(super::super::Lang::Vi),
            "vi:0000000"
        );
    }

    const SECRETARY: i64 = 1;
    const DEPUTY: i64 = 2;
    const MEMBER: i64 = 3;
    const SUPERVISOR: i64 = 4;
    const STRANGER: i64 = 5;

    fn full() -> Committee {
        Committee {
            secretary: Some(SECRETARY),
            deputy: Some(DEPUTY),
        }
    }

    fn no_deputy() -> Committee {
        Committee {
            secretary: Some(SECRETARY),
            deputy: None,
        }
    }

    fn actor(user_id: i64) -> Actor {
        Actor {
            user_id,
            supervises_ward: user_id == SUPERVISOR,
        }
    }

    #[test]
    fn secretary_and_deputy_decide_a_members_item() {
        assert_eq!(may_decide(actor(SECRETARY), full(), MEMBER), Ok(()));
        assert_eq!(may_decide(actor(DEPUTY), full(), MEMBER), Ok(()));
        assert_eq!(may_decide(actor(SECRETARY), no_deputy(), MEMBER), Ok(()));
    }

    #[test]
    fn others_are_refused() {
        assert_eq!(
            may_decide(actor(STRANGER), full(), MEMBER),
            Err(Denied::NotDecider)
        );
        assert_eq!(
            may_decide(actor(MEMBER), full(), DEPUTY),
            Err(Denied::NotDecider)
        );
    }

    #[test]
    fn nobody_decides_their_own_item() {
        assert_eq!(
            may_decide(actor(SECRETARY), full(), SECRETARY),
            Err(Denied::OwnItem)
        );
        assert_eq!(
            may_decide(actor(DEPUTY), full(), DEPUTY),
            Err(Denied::OwnItem)
        );
        assert_eq!(
            may_decide(actor(MEMBER), full(), MEMBER),
            Err(Denied::OwnItem)
        );
    }

    #[test]
    fn the_committee_decides_each_others_items() {
        assert_eq!(may_decide(actor(DEPUTY), full(), SECRETARY), Ok(()));
        assert_eq!(may_decide(actor(SECRETARY), full(), DEPUTY), Ok(()));
        assert_eq!(first_decider(full(), SECRETARY), Some(DEPUTY));
        assert_eq!(first_decider(full(), DEPUTY), Some(SECRETARY));
        assert_eq!(first_decider(full(), MEMBER), Some(SECRETARY));
    }

    #[test]
    fn supervisors_stand_in_only_for_the_committees_own_items_without_a_deputy() {
        assert_eq!(
            may_decide(actor(SUPERVISOR), no_deputy(), SECRETARY),
            Ok(())
        );
        assert!(goes_to_supervisors(no_deputy(), SECRETARY));
        assert_eq!(first_decider(no_deputy(), SECRETARY), None);
        // Not a member's item, not where the deputy can decide.
        assert_eq!(
            may_decide(actor(SUPERVISOR), no_deputy(), MEMBER),
            Err(Denied::NotDecider)
        );
        assert_eq!(
            may_decide(actor(SUPERVISOR), full(), SECRETARY),
            Err(Denied::NotDecider)
        );
        assert!(!goes_to_supervisors(full(), SECRETARY));
        assert!(!goes_to_supervisors(no_deputy(), MEMBER));
        // A supervisor of another ward.
        let elsewhere = Actor {
            user_id: SUPERVISOR,
            supervises_ward: false,
        };
        assert_eq!(
            may_decide(elsewhere, no_deputy(), SECRETARY),
            Err(Denied::NotDecider)
        );
    }

    #[test]
    fn a_deputy_without_secretary_goes_to_the_supervisors() {
        let only_deputy = Committee {
            secretary: None,
            deputy: Some(DEPUTY),
        };
        assert_eq!(first_decider(only_deputy, DEPUTY), None);
        assert!(goes_to_supervisors(only_deputy, DEPUTY));
        assert_eq!(may_decide(actor(SUPERVISOR), only_deputy, DEPUTY), Ok(()));
        assert_eq!(may_decide(actor(DEPUTY), only_deputy, MEMBER), Ok(()));
        assert_eq!(first_decider(only_deputy, MEMBER), Some(DEPUTY));
    }
}
