//! Who may do what. Roles always come from the database; these functions
//! decide from those facts.

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The actor is not the secretary of the cell the item belongs to.
    NotSecretaryOfCell,
    /// A secretary may not decide on their own report or join request.
    OwnItem,
}

/// May `actor` decide on an item of `item_cell` submitted by `item_owner`,
/// given the cells the actor is secretary of?
pub fn may_decide(
    actor: i64,
    actor_secretary_of: &[i64],
    item_cell: i64,
    item_owner: i64,
) -> Result<(), Denied> {
    if !actor_secretary_of.contains(&item_cell) {
        return Err(Denied::NotSecretaryOfCell);
    }
    if actor == item_owner {
        return Err(Denied::OwnItem);
    }
    Ok(())
}

/// What a user is, as far as menus and help are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roles {
    pub secretary: bool,
    pub officer: bool,
    pub supervisor: bool,
    pub member: bool,
    pub pending_member: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secretary_of_the_cell_decides() {
        assert_eq!(may_decide(1, &[10, 11], 10, 2), Ok(()));
    }

    #[test]
    fn other_cells_secretary_is_refused() {
        assert_eq!(may_decide(1, &[11], 10, 2), Err(Denied::NotSecretaryOfCell));
        assert_eq!(may_decide(1, &[], 10, 2), Err(Denied::NotSecretaryOfCell));
    }

    #[test]
    fn nobody_decides_their_own_item() {
        assert_eq!(may_decide(2, &[10], 10, 2), Err(Denied::OwnItem));
    }
}
