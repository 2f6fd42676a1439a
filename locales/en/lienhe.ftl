# lienhe — English

## General
welcome = Welcome! This is the "Residence contact" assistant. It helps working party members record how they keep in contact with the cell committee, the cell and the people where they live, as Regulation 213-QĐ/TW requires.
not-joined = You have not joined a residence cell here yet. To join, open the invite link your residence cell secretary sends you.
not-joined-committee = You are on a cell's committee but not yet a member of a residence cell in the system. To report your own activities, join as a member: open the invite link of the cell where you live (for your own cell, the link the secretary gets with /invite).
role-name-finish-first = You are taking up a role with an invite code: please send your full name to finish (or send /cancel to stop).
join-finish-first = You are sending a request to join a cell: please finish the steps above (or send /cancel). Once the cell's secretary confirms it, you can report activities with /report.
move-finish-first = You are sending a request to move to another cell: please finish the steps above (or send /cancel), then send /report again to report an activity to your present cell.
committee-idle = You are a cell's secretary or deputy secretary: use /pending to decide the join requests and reports waiting, /members to see the cell's members, /meeting to call a meeting. See the other commands: /help.
idle-hint = To report an activity where you live, use /report. For the other commands: /help.
edited-not-read = Changes to a message already sent are not read. To change something, please send it again as a new message.
edited-not-read-in-dialogue = Changes to a message already sent are not read: what was sent first is kept. To change an answer already given, send /cancel and start again; otherwise, answer the question above with a new message.
edited-answer-over = Changes to a message already sent are not read. That message answered a question that is over: what it said first was taken as it was (sent or saved, unless it was cancelled), and neither the edit nor the same text sent again changes it. Where something can be changed, do it again the way it was given (your phone or workplace in /profile, for example).
edited-media-not-read = Changes to a message already sent (a photo, a file or its caption) are not read: what was sent first is kept. To change it, please send it again as a new message; for the photos of a report in progress, send /cancel and start the report again.
unknown-command = Unknown command. The commands you can use:
unknown-command-in-dialogue = You are in the middle of something: answer the question above to go on, or send /cancel to stop.
not-given = (not given)
cancelled = Cancelled.
nothing-to-cancel = There is nothing to cancel.
stale-button = This button is no longer active. Please use the latest message.
not-allowed = You are not allowed to do this.
not-allowed-own = You cannot approve your own item.
refusal-see-help = The commands for you: /help.
secretaries-only = This command is for cell secretaries only.
decision-recorded = Recorded.
decision-item-withdrawn = The member withdrew this (they left the bot) before your decision; there is nothing left to decide.
decision-item-unrecorded = The meeting's register was corrected before your decision: it no longer counts this attendance, so there is nothing left to decide.
decision-join-withdrawn = The sender withdrew this request to join (or left the bot) before your decision; there is nothing left to decide.
decision-join-gone = This request to join is no longer in the system (withdrawn, erased, or sent after the backup the bot was restored from): nothing to decide. It can be sent again.
decision-report-gone = This report is no longer in the system (withdrawn, erased, or sent after the backup the bot was restored from): nothing to decide. The member can send it again.
already-decided = This was already decided by { $who } at { $when }.
dialogue-resumed = You can go on with what you were doing.
dialogue-question-pending = Please answer the question asked last first (or /cancel it): then this button works again.
dialogue-under-way = You have { $state } under way, and what you gave so far is kept. Answer the question above to go on with it, or send /cancel and then { $command } to start anew.
dialogue-question-under-way = A question above waits for your answer, with { $state } under way behind it (kept as it is). Answer the question, or send /cancel, to go back to it; finish it, or send /cancel again, before { $command }.
under-way-report = a report of an activity
under-way-meeting = a meeting being called
under-way-announcement = an announcement not yet sent
under-way-request = a request for a comment
under-way-end = the end of a membership

## Help
help-secretary =
    As cell secretary:
    /pending — join requests and reports waiting for you
    /members — members and their activity this month
    /invite — create the link that invites members to the cell
    /invite deputy — create the code for the cell's deputy secretary (without one, the secretary's own items go to the ward's supervisors)
    /announce — send an announcement to every member of the cell
    /sheets — draft the year-end comment sheets
    /requests — comments workplaces asked of the cell
    /stats — participation chart and figures
    /export — download the summary table (XLSX)
help-member =
    As a member:
    /report — report an activity where you live
    /myreports — your reports of the year
    /profile — see and change your phone and workplace
help-pending-member = Your request to join the cell is waiting for confirmation. Once confirmed, you can report activities with /report.
help-common =
    /verify code — check a comment sheet's verification code
    /mydata — everything stored about you (XLSX and JSON)
    /forgetme — erase your personal data
    /language — choose the language
    /cancel — cancel what you are doing
    /help — how to use the bot

## Command menus
menu-report = Report an activity where you live
menu-myreports = My reports of the year
menu-pending = Requests and reports to approve
menu-members = Members and their activity this month
menu-invite = Create a member invite link
menu-language = Choose the language
menu-help = How to use the bot
menu-cancel = Cancel what you are doing

## Language
language-choose = Please choose a language:
language-set = Switched to English.
button-language-vi = 🇻🇳 Tiếng Việt
button-language-en = 🇬🇧 English

## Buttons
button-today = Today
button-yesterday = Yesterday
button-skip = Skip
button-done = Done
button-remove-photos = Remove photos
button-submit = Submit
button-cancel = Cancel
button-confirm = Confirm
button-approve = ✅ Approve
button-reject = ❌ Reject
button-show-photos = { $count ->
    [one] 🖼 Show the photo
   *[other] 🖼 Show { $count } photos
}
button-share-phone = 📱 Share my phone number
button-workplace-other = Other…

## Invite codes
invite-unknown = This invite code is wrong or does not exist.
invite-used = This invite code has already been used.
invite-used-by-you = You used this code on { $when }: there is nothing more to do with it. /help shows what you can do.
invite-revoked = This invite code has been revoked.
invite-expired = This invite code has expired.
invite-ask-ward = Please ask whoever gave you the code (the ward party committee or the system operator) for a new one.
invite-ask-secretary = Please ask your residence cell secretary for a new link.
invite-ask-either = Please ask your residence cell secretary (or, for secretaries, the ward party committee) for a new invite.
invite-choose-cell = You are the secretary of several cells; please choose the cell to make the link for (that cell's earlier link stops working; the other cells' are not affected):
invite-link =
    Invite link for members of { $cell }:
    { $link }
    Valid until { $until }. Send it to the members introduced to the cell.
invite-earlier-links-revoked = The cell's earlier links have been revoked and no longer work.

## Secretary joins
secretary-invite-accepted = The code is valid: you are invited to be secretary of { $cell }.
secretary-already = You are already secretary of { $cell }.
role-already-held = You already hold this role at { $place }. The invite code has not been used and can be passed to the person it is meant for.
secretary-confirmed = Confirmed: { $name } is now secretary of { $cell }.
secretary-items-waiting = Waiting in the cell for your decision: { $joins ->
        [0] { $reports ->
            [one] 1 report
           *[other] { $reports } reports
        }
        [one] { $reports ->
            [0] 1 join request
            [one] 1 join request and 1 report
           *[other] 1 join request and { $reports } reports
        }
       *[other] { $reports ->
            [0] { $joins } join requests
            [one] { $joins } join requests and 1 report
           *[other] { $joins } join requests and { $reports } reports
        }
    }. Send /pending to see and decide them.
back-items-waiting = Welcome back. Waiting for your decision:
back-items-waiting-end = Send /pending or press the button below to see and decide them.
role-items-waiting = Already waiting for your decision:
ask-full-name = Please type your full name (with Vietnamese accents).

## Member joins
join-welcome = You are invited to join { $cell } as a working party member keeping contact with your place of residence.
ask-phone = Please share your phone number with the button below, type it, or press "Skip".
phone-noted = Phone number { $phone } noted.
phone-skipped = No phone number given.
ask-workplace = Where do you work? Choose from the list or press "Other…".
ask-workplace-none = No workplaces are registered yet. Press "Other…" to type the name of your workplace.
ask-workplace-name = Please type the name of your workplace.
workplace-chosen = Workplace: { $workplace }
workplace-other-chosen = Workplace: other.
join-summary =
    Please check your details:
    Residence cell: { $cell }
    Full name: { $name }
    Phone: { $phone }
    Workplace: { $workplace }
join-cancelled = Your request to join was cancelled.
join-cell-gone = This residence cell is no longer in the system (the ward removed it): the request was not sent. Please ask the ward or the cell for a new link.
join-sent = Your request to join { $cell } was sent to the cell committee (the secretary or the deputy). You will be told when it is confirmed.
join-already-sent = Your request to join { $cell } was already sent on { $date } at { $at }; nothing was sent again.
join-sent-no-secretary = Your request to join { $cell } was recorded. The cell has no secretary here yet; the request will be reviewed when one joins.
join-already-member = You are already a member of { $cell }.
join-already-pending = Your request to join { $cell } is waiting for confirmation.
join-other-cell = You already belong to (or are waiting to join) { $cell }. To move to another cell, please contact your cell secretary.
join-pending-elsewhere = Your request to join (or move to) { $cell } is waiting for confirmation. If it went to the wrong cell, withdraw it, then open this invite link again.
committee-command-only = This command is for a cell's committee (its secretary and deputy secretary).
join-waiting-since = Your request to join { $cell } has been waiting for confirmation since { $date }; you will be told when it is decided. If you no longer wish to join, you can withdraw it with the button below.
join-withdraw-button = Withdraw the waiting request
join-withdrawn = Your request to join { $cell } was withdrawn. You can now open the invite link of the cell where you live.
join-withdraw-gone = This request is no longer waiting (it was decided or withdrawn).
join-withdrawn-card = ↩️ The sender withdrew this request.
join-approved = The cell confirmed you as a member of { $cell } (introduction received). You can now report your activities where you live with /report.
join-rejected = Your request to join { $cell } was not confirmed by the cell. Please contact the cell secretary directly.
join-card =
    Request to join the cell
    Cell: { $cell }
    Full name: { $name }
    Phone: { $phone }
    Workplace: { $workplace }

## Reports
report-wait-approval = Your request to join { $cell } has not been confirmed yet, so you cannot report activities.
ask-kind = What kind of activity are you reporting?
kind-chosen = Kind of activity: { $kind }
ask-date = When did it take place? Press a button or type the date as dd/mm/yyyy (for example 05/11/2026).
date-chosen = Date: { $date }
ask-description = Please describe the activity briefly (at most 1,000 characters).
photo-kept-ask-description = { $count ->
        [one] 1 photo
       *[other] { $count } photos
    } received. Please type what the activity was first (or send the photo with it as the caption); you can send more photos after that.
ask-photos = Send one or more photos as evidence (if you have any), or press "Skip".
photos-over-not-kept = { $count ->
        [one] 1 photo was
       *[other] { $count } photos were
    } not kept: a report can have at most { $max } photos.
album-not-photos-not-kept = { $count ->
        [one] 1 item sent is not a photo (a video, or a picture sent as a file) and was
       *[other] { $count } items sent are not photos (videos, or pictures sent as files) and were
    } not kept: a report keeps only photos, sent as photos.
photo-caption-not-kept = The caption sent with the photos was not kept: the report's description stays as you gave it.
photos-received-full = { $count } photos received, the most a report can have. Please press "Done".
photo-already-in-report = This photo is already in the report.
file-not-kept-caption-taken = A report keeps only photos, sent as photos (not as files): the file was not kept. Its caption was taken as the description.
file-not-kept-ask-description = A report keeps only photos, sent as photos: the video or file sent (with any others of its album) was not kept.
photo-outside-report = This photo was not added to any report: a report's photos are sent while writing it, before «Submit», and a report sent cannot be changed. To report an activity with its photos, use /report.
photos-received = { $count ->
    [one] 1 photo received. You can send more, or press "Done".
   *[other] { $count } photos received. You can send more, or press "Done".
}
photos-caption = Evidence for report no. { $id }
report-summary =
    Please check your report:
    Kind of activity: { $kind }
    Date: { $date }
    Description: { $description }
    Photos: { $photos }
report-cancelled = The report was cancelled.
report-submitted = Report no. { $id } was sent to the cell committee (the secretary or the deputy). You will be told when it is decided.
report-submitted-no-secretary = Report no. { $id } was recorded. The cell has no secretary here yet; it will be reviewed when one joins.
report-card =
    Activity report no. { $id }
    Member: { $member }
    Kind of activity: { $kind }
    Date: { $date }
    Description: { $description }
    Photos: { $photos }
report-approved = Report no. { $id } ({ $kind }, { $date }) was approved by the cell.
report-rejected =
    Report no. { $id } ({ $kind }, { $date }) was not approved by the cell.
    Reason: { $reason }
ask-reject-reason = Please type the reason for rejecting report no. { $id } by { $member }. Send /cancel if you do not want to reject it.
ask-reject-reason-again = Please type the reason for rejecting report no. { $id }.
question-asked-above = The question is just above: please type your answer (or send /cancel).
report-rejected-done = Report no. { $id } was rejected and the member was told.
decided-approved = ✅ Approved by { $who } at { $when }
decided-rejected = ❌ Rejected by { $who } at { $when }
decided-rejected-reason = ❌ Rejected by { $who } at { $when }. Reason: { $reason }
decided-approved-unnamed = ✅ Approved at { $when }
decided-rejected-unnamed = ❌ Rejected at { $when }
decided-rejected-reason-unnamed = ❌ Rejected at { $when }. Reason: { $reason }
report-card-unrecorded = ↩️ Taken back: the meeting's register was corrected and no longer counts this attendance; nothing left to decide.

## Input errors
not-saved-try-again = The system was busy and your last action was not saved. Please do it again (send the message again or press the button again).
flood-not-read = You are sending messages faster than the bot can answer them. It is answering the earlier ones in turn; what you send until then is not read. Please wait for the answers, then send again whatever is still needed.
error-expect-text = Please send text.
error-caption-not-read = A photo or file is not kept here, and its caption is not read. Please send the text itself as a message.
error-expect-button = Please choose with the buttons below.
error-expect-phone = That is not a valid phone number. Use the share button, type a Vietnamese mobile or landline number (for example 0912 345 678; a foreign one starting with +) or press "Skip".
error-not-own-contact = Please share your own phone number with the button below.
error-forwarded-own = This is a forwarded message (someone else's words). Please type your own details yourself.
error-expect-date = Please type the date as text (dd/mm/yyyy) or press a button below.
error-expect-photo = Please send a photo (not as a file), or press the button below.
photos-text-not-kept = A text is not added to the report at this step: the description is the one you sent before. Please send photos or press the button below; to change the description, send /cancel and report again.
error-empty-text = The text cannot be empty.
error-only-mention = The message is only a mention of someone (@…). Please type the text itself.
error-too-long = The text is too long: at most { $max } characters.
error-text-in-parts = The text was longer than Telegram allows and arrived in several messages; this part was not taken. Please shorten it and send it again in one message.
error-not-a-name = That does not look like a full name: please type your family name, middle name (if any) and given name in letters only, for example «Nguyễn Văn An».
error-not-a-workplace = That does not name a workplace: please type its name in words, for example «Sở Tư pháp tỉnh Nghệ An».
error-description-empty = The description cannot be empty.
error-description-too-long = The description is too long: at most { $max } characters. Please shorten it.
error-date-format = The date is not in the right format. Please type it as dd/mm/yyyy, for example 05/11/2026.
error-date-impossible = There is no such day in the calendar. Please check the date.
error-date-future = You cannot report an activity in the future.
error-date-asked-another-day = The date question was asked on { $asked } and it is now { $today }, so "Today" or "Yesterday" could mean either day. Please choose the date again.
error-date-too-old = Only activities from { $earliest } can be reported (the last 12 months; while last year's comment sheets are still being written, all of last year).

## Listings
status-pending = ⏳ pending
status-approved = ✅ approved
status-rejected = ❌ rejected
myreports-empty = You have no reports in { $year } yet. Use /report to report an activity.
myreports-header = Your reports in { $year }: { $total } in all, { $approved } approved.
myreports-header-open = Your reports of { $year } waiting for a decision or decided in the last { $days } days:
myreports-line = • No. { $id }, { $date } — { $kind } — { $status }: { $description }
myreports-reason =   Reason: { $reason }
myreports-button-resubmit = ✏️ Edit and resubmit report no. { $id }
pending-header = { $cell } — waiting for a decision: { $joins ->
        [one] 1 join request
       *[other] { $joins } join requests
    } and { $reports ->
        [one] 1 report
       *[other] { $reports } reports
    }.
pending-none-in-cell = { $cell }: no join request or report is waiting for a decision.
members-header = { $cell } — { $month }: { $count ->
        [one] 1 member
       *[other] { $count } members
    }, { $silent } with no approved activity in person this month (money given does not count).
members-none = No confirmed members yet.
members-line = { $n }. { $name } — { $count ->
        [one] 1 approved activity in person
       *[other] { $count } approved activities in person
    } this month; { $last }
members-last = last on { $date }
members-never = no approved activity in person yet

## Monthly reminders and secretary digests
menu-announce = Send an announcement to the cell's members
reminder-member = Dear { $name }: you have reported no activity in person where you live in { $month } yet (contributions of money do not stand in for it). Please report what you took part in (cell meetings, residents' meetings, mobilisation, local movements…) so that the cell has evidence for its year-end comment.
button-report-now = 📝 Report now
button-open-pending = 📋 Open the pending list
button-send = 📨 Send
digest-header = Digest for { $month } for the cell committee
digest-cell = { $cell } — { $members ->
        [one] 1 member
       *[other] { $members } members
    }
digest-cell-exempt = { $cell } — { $members ->
        [one] 1 member
       *[other] { $members } members
    } ({ $exempt } exempt from residence meetings)
digest-pending = • Waiting for a decision: { $joins ->
        [one] 1 join request
       *[other] { $joins } join requests
    }, { $reports ->
        [one] 1 report
       *[other] { $reports } reports
    }
digest-silent-month = • No activity in person in { $month } ({ $count }): { $names }
digest-silent-name = { $name } ({ $months ->
        [one] 1 month
       *[other] { $months } months
    })
digest-silent-long = • No activity in person for three months or more in a row ({ $count }): { $names }
digest-unreachable = • Cannot be reached by the bot, may have blocked it ({ $count }): { $names }
digest-stale = • Reports waiting for more than 7 days ({ $count }):
digest-stale-item =   – no. { $id } by { $member }, sent on { $since }
digest-more-reports =   – …and { $count } more (see /pending)
digest-more-requests =   – …and { $count } more (see /requests)
digest-and-others = and { $count ->
        [one] 1 other
       *[other] { $others } others
    }

## Cell announcements
ask-announcement = Please type the announcement for every member of the cell (at most 3,000 characters). Send /cancel to give up.
announce-preview-waits = The preview above waits: press Send under it to send it, or type a corrected text to replace it. Send /cancel to give up.
announce-no-members = The cell has no confirmed members to receive an announcement.
announce-no-members-yet = The cell has no confirmed members to receive an announcement yet. Members join through the cell's invite link: create it with /invite and send it to them.
announce-cell-no-members-yet = { $cell } has no confirmed members to receive an announcement yet. Members join through the cell's invite link: create it with /invite and send it to them. You can still choose another of your cells above.
announce-preview =
    Preview of the announcement to { $count ->
        [one] 1 member
       *[other] { $shown } members
    } of { $cells }:

    { $text }
announce-cancelled = The announcement was cancelled.
announce-progress = Sending the announcement: { $sent } of { $total } sent.
announce-done = The announcement is sent: { $delivered ->
        [one] 1 member received it
       *[other] { $received } members received it
    }, { $unreachable } could not be reached, { $failed } failed (of { $total }).
announce-done-left = The announcement is sent: { $delivered ->
        [one] 1 member received it
       *[other] { $received } members received it
    }, { $unreachable } could not be reached, { $failed } failed, { $left } not sent because they left the cell or their membership ended meanwhile (of { $total }).
announcement =
    📢 Announcement from { $cell } (secretary { $sender }):

    { $text }

## Workplace officers, supervisors
officer-confirmed = Confirmed: you follow the members of { $workplace } here.
supervisor-confirmed = Confirmed: you can see the figures of { $ward } here; where a cell has no deputy secretary, you also decide its secretary's own items and comment sheet (/pending, /sheets).
help-officer =
    As a workplace officer:
    /status — how the workplace's members keep contact where they live
    /sheet full name — a member's signed comment sheet
    /export — download the summary table (XLSX)
help-supervisor =
    As a supervisor (ward committee, Fatherland Front):
    /stats — participation chart and figures by duty
    /export — download the summary table (XLSX)
officers-only = This command is for the officers who follow a workplace's members.
stats-only = This command is for cell secretaries, ward supervisors and ward administrators.
export-only = This command is for cell secretaries, workplace officers, ward supervisors and ward administrators.
menu-sheets = The cell's year-end comment sheets
menu-status = The workplace's members
menu-sheet = A member's comment sheet
menu-stats = Participation chart and figures
menu-export = Download the summary table (XLSX)
menu-verify = Check a comment sheet's code

## Criteria of the comment sheet
criterion-example = Sets an example in ethics and lifestyle
criterion-civic = Exemplary civic conduct
criterion-meetings = Attends residence meetings
criterion-contact = Keeps contact with the cell and residents
criterion-movements = Takes part in local movements
criterion-recommendation = Recommendation
level-example-0 = Sets a good example
level-example-1 = Sets an example
level-example-2 = Does not yet set an example
level-civic-0 = Leads by example
level-civic-1 = Exemplary
level-civic-2 = Not yet exemplary
level-meetings-0 = Attends fully
level-meetings-1 = Attends partly
level-meetings-2 = Does not attend
level-contact-0 = Regular and active
level-contact-1 = Regular
level-contact-2 = Not yet regular
level-movements-0 = Very active
level-movements-1 = Active
level-movements-2 = Not yet active
level-recommendation-0 = Commend
level-recommendation-1 = No recommendation
level-recommendation-2 = Consider disciplinary action
exempt-barracks = army or police living in barracks
exempt-official-housing = rotated cadre in official housing
exempt-full-time-study = full-time study of 12 months or more
exempt-student-away = student studying away from home

## Evidence
evidence-total = Approved activities: { $count }
evidence-kind = { $kind }: { $count }
evidence-by-kind = By kind: { $kinds }
evidence-duty = D{ $duty }: { $count }
evidence-by-duty = By duty (Regulation 213, Art. 2): { $duties }
evidence-meetings = Residence cell meetings attended: { $count }
evidence-active-months = Months with activity in person: { $active }/{ $expected }
# The same, inside a /status line after "; ": not a sentence of its own.
status-active-months = months with activity in person: { $active }/{ $expected }
evidence-silent-months = Months with no activity in person: { $months }
evidence-money-only = Note: contributions of money only, no activity in person.
evidence-report = – { $date }: { $kind } (report no. { $id })

## Comment sheets in the chat
sheets-not-open = Year-end comment sheets can be drafted from { $date }.
sheets-header = { $cell } — comment sheets for { $year } ({ $count ->
        [one] 1 member
       *[other] { $count } members
    }). Choose a member to draft or see the sheet:
sheets-exempt = exempt from residence meetings ({ $reason }), no periodic sheet
# The start of a signed sheet's file name (ASCII: letters, digits and dashes), the year or request number and the member's name follow.
sheet-file-yearly = comment-sheet-
sheet-file-request = comment-on-request-
sheet-state-not-started = not started
sheet-state-draft = draft
sheet-state-with-member = with the member
sheet-state-accepted = accepted by the member, to be signed
sheet-state-responded = the member responded, to be signed
sheet-state-signed = signed and sent to the workplace
sheet-state-signed-kept = signed; it reached no officer of the workplace through the bot (the workplace had no officer in the bot when it was signed, or its officer could not receive it); its officers can get it with /sheet
sheet-signed-elsewhere = The member's { $year } sheet was already signed by { $cell }, before the move; the workplace can get it with /sheet. No second one is written.
sheet-gone = This comment sheet is no longer in the system: the member moved, left the cell or erased their personal data before it was signed.
sheet-exempt-none = This member is exempt from residence meetings: no periodic comment sheet.
sheet-exempt-member = You are exempt from residence meetings: the cell makes no periodic comment sheet for you.
sheet-member-gone = This comment sheet can no longer be edited, sent or signed: the member is no longer a member of the cell (the membership ended, they moved, or they erased their data).
sheet-open-member-ended = { $name }'s membership of the cell ended on { $date }: their comment sheet can no longer be written here.
sheet-member-left-cell = This draft is from a cell you are no longer a member of (you moved, or your membership ended), so it no longer awaits your answer.
sheet-membership-ended = Your membership of { $cell } ended on { $date }: this comment sheet no longer awaits your answer.
sheet-header =
    Comment sheet { $year }: { $name }
    Cell: { $cell }
    Workplace: { $workplace }
    State: { $state }
sheet-evidence-title = Evidence (approved activities):
sheet-criteria-title = Criteria (press a button to choose the level):
sheet-short-version = Short version for a member exempt from residence meetings ({ $reason }): no criteria are rated; only the contact recorded and other remarks.
sheet-evidence-more = … and { $count } more (the signed sheet lists them all).
sheet-level-unset = (not chosen)
sheet-remarks-line = Other remarks: { $remarks }
sheet-member-accepted = The member accepted the draft at { $when }.
sheet-member-responded = The member's response (at { $when }): { $response }
sheet-member-responded-earlier = The member's response to the draft before it was changed (at { $when }): { $response }
sheet-response-shortened = (shortened; the whole response is in the bot's message telling of it)
sheet-member-waiting = Waiting for the member's answer until { $until }; no answer by then counts as seen.
sheet-member-waiting-none = The draft was sent once the sheet's last day had come: it can be signed now, without waiting for the member's answer.
sheet-signed-line = Signed at { $when }. Verification code: { $code }
button-remarks = ✏️ Other remarks
button-send-member = 📤 Send to the member
button-sign = ✍️ Sign and send to the workplace
button-reopen = ↩️ Change the draft
button-accept = ✅ Accept
button-respond = 💬 Respond
ask-remarks = Please type the other remarks (at most { $max } characters).
ask-member-response = Please type your response to the draft comment sheet (at most { $max } characters).
sheet-sent-to-member = The draft was sent to the member.
sheet-already-sent = You sent this draft to the member already ({ $when }); it waits for their answer.
sheet-member-unreachable = The draft comment sheet could not be sent to { $name } through the bot; please contact them directly.
sheet-draft-replaced = This draft was changed and sent to you again: please answer the latest draft, in the newer message.
sheet-draft-gone = This draft is no longer in the system (withdrawn, or sent after the backup the bot was restored from): there is nothing to answer. The cell can send it to you again.
sheet-for-member = Draft of { $cell }'s comment sheet on you for { $year }. { $due }
sheet-answer-until = Please accept it or respond by { $until }; no answer by then counts as seen.
sheet-answer-now = The sheet's last day has come: please accept it or respond now; it may be signed at any time, without waiting for your answer.
member-accepted-done = You accepted the draft. Thank you.
sheet-now-signed = The sheet was signed already, by { $signer } at { $when }.
sheet-now-signed-by-you = You signed this sheet already ({ $when }).
sheet-now-with-member = The draft was sent to the member at { $when } and waits for their answer.
sheet-now-accepted = The member accepted the draft at { $when }.
sheet-now-responded = The member responded to the draft at { $when }.
sheet-now-draft = The draft was taken back to be changed ({ $when }).
sheet-answered-accepted = You accepted this draft already ({ $when }).
sheet-answered-responded = You responded to this draft already ({ $when }); your response was passed on to whoever signs your comment sheet.
member-response-done = Your response was recorded and passed to whoever signs your comment sheet.
typed-not-saved =
    { $why }

    What you sent was not saved; here it is for you to keep:
    { $text }
member-response-draft-taken-back = The cell took the draft back to change it before your response arrived. When you receive the new draft, please respond to it again.
member-response-not-awaited = This draft no longer awaits your response (it was answered, taken back or signed).
sheet-remarks-not-draft = The sheet is no longer a draft (it was sent to the member or signed), so the remarks were not saved. To change it, press “Change the draft” on the sheet (while it is not signed).
secretary-told-accepted = { $name } accepted the draft comment sheet for { $year }. You can sign it (/sheets).
secretary-told-responded = { $name } responded to the draft comment sheet for { $year }: { $response }
sign-blocked-not-sent = Send the draft to the member before signing.
sign-blocked-criteria = Choose a level for all six criteria.
sign-blocked-no-longer-exempt = The member is no longer exempt from residence meetings: the comment needs all six criteria. Press “Change the draft”, choose their levels and send it to the member again.
sign-blocked-waiting = Waiting for the member's answer; you can sign once they answer or after { $until }.
sheet-signed-done = The sheet is signed (code { $code }) and was sent to { $officers ->
        [one] the officer
       *[other] { $officers } officers
    } of the member's workplace; the member got a copy too.
sheet-no-officer = The sheet is signed (code { $code }). The workplace ({ $workplace }) has no officer here to receive it: please send the copy below to the workplace's party committee; the member got a copy.
sheet-delivered-officer = Comment sheet { $year } on { $name } from { $cell } ({ $ward }), signed by { $signer } ({ $role }). Verification code: { $code } (check it with /verify).
sheet-delivery-failed = The { $year } comment sheet on { $name } (verification code { $code }) could not be delivered to an officer of the workplace through the bot. Please send it to the workplace party committee another way.
sheet-member-copy-failed = { $name } did not receive their own copy of the signed comment sheet (verification code { $code }) through the bot: they may have blocked it. It is sent to them again when they next write to the bot or unblock it.
sheet-copy-member = A copy of your { $year } comment sheet, sent to your workplace. Verification code: { $code }.
sheet-copy-member-kept = Your comment sheet has been signed. Your workplace has no officer receiving sheets here, so it was not sent to the workplace; the cell will pass it on another way. Verification code: { $code }.

## Verification
verify-usage = Usage: /verify CODE (for example /verify 1A2B-3C4D-5E6F-7A8B).
verify-ok = Valid and unchanged: the { $year } comment sheet of { $name } ({ $cell }), signed by { $signer } ({ $role }) at { $when }.
verify-content-heading = What was signed (compare it with the copy you hold; if they differ, that copy was altered):
verify-not-found = No signed comment sheet has this code. Please check the verification code printed at the foot of the sheet (for example /verify 1A2B-3C4D-5E6F-7A8B).
verify-other-code = This is not a comment sheet's verification code but an invitation's (or a link's) code: open its link, or send /start followed by the code. A sheet's verification code is printed at its foot, for example 1A2B-3C4D-5E6F-7A8B.
verify-tampered = Warning: the sheet with this code was changed after it was signed. Do not rely on it.
verify-corrected = Note: after signing, the cell corrected its meeting register, taking back { $count ->
    [one] one activity
   *[other] { $count } activities
} cited by the sheet (recorded in the audit log). What was signed is unchanged.

## Workplace
status-header = { $workplace } — { $year }: { $count ->
        [one] 1 member
       *[other] { $members } members
    }
status-flag-legend = (⚠️: no activity for three months or more)
status-line = { $flag }{ $name } ({ $cell }): { $total ->
        [one] 1 approved activity
       *[other] { $total } approved activities
    } [{ $duties }]; last: { $last }; { $silent ->
        [one] 1 month
       *[other] { $silent } months
    } without activity; sheet: { $state }
status-no-reports = none
status-last-none = none yet
status-none = No member of the workplace has been confirmed by a residence cell yet.
status-no-roster = No roster of { $workplace } has been sent yet: send /roster with the list of its working party members to see who is not registered with a residence cell, and introduce them to their cell.
sheet-usage = Usage: /sheet full name (for example /sheet Nguyễn Văn An).
sheet-not-found = No member "{ $name }" of your workplace was found. Please check the name.
sheet-many = { $count } members match; please type the full name:
sheet-choose = { $count } members have this name; please choose whose comment sheet to see:
namesake-introduced = { $name } (introduced to the cell in { $month })
sheet-many-more = …and { $count } more; please type more of the name to narrow them down.

## Statistics and exports
stats-title = { $scope } — share of members with approved activity
stats-y-label = Share (%)
stats-caption = { $scope }: share of members with at least one approved activity (contributions of money not counted), { $from } to { $to }.
stats-duties-header = { $scope } — approved activities in { $year } by duty (Regulation 213, Art. 2):
stats-duty-line = Duty { $duty }: { $count }
stats-money-only = Members whose only activity in { $year } is contributions of money, none in person: { $count }
status-money-only = contributions of money only
export-caption = Summary for { $year }: { $scope } ({ $count ->
        [one] 1 member
       *[other] { $members } members
    }).
export-ward-no-cells = { $scope }: the ward has no residence cell in the system yet, so no member is in its summary for { $year } and no workbook is sent.
export-ward-no-members = { $scope }: the ward's residence cells have no confirmed member for { $year } yet, so its summary has nobody in it and no workbook is sent.
export-cell-no-members = { $scope } has no confirmed member for { $year } yet, so its summary has nobody in it and no workbook is sent. Members join through the cell's invite link: create it with /invite and send it to them; once you approve a join request, the member is in the summary.
export-workplace-no-members = { $scope }: no member of the workplace has been confirmed by a residence cell for { $year } yet, so its summary has nobody in it and no workbook is sent. The workplace's members are introduced to their residence cells from /status (the Introduce button, after sending the list of members with /roster); once a residence cell confirms them, they are in the summary.
export-col-id = Record no. in lienhe
export-col-member = Full name
export-col-cell = Residence cell
export-col-ward = Ward
export-col-workplace = Workplace
export-col-duty = Duty { $duty }
export-col-total = Approved activities
export-col-contributions = Of which contributions of money
export-col-months-active = Months with activity in person
export-col-meetings = Cell meetings reported (approved reports)
export-col-exempt = Exempt
export-col-sheet-state = Sheet state
export-col-code = Verification code

## The document (always issued in Vietnamese; English kept for parity)
doc-party-header = PARTY COMMITTEE OF { $ward }
doc-party-name = COMMUNIST PARTY OF VIETNAM
doc-place-date = { $place }, { $day }/{ $month }/{ $year }
doc-title = COMMENT SHEET
doc-subtitle = On a working party member's contact with the cell committee, the party committee and the people where they live, { $year }
doc-addressee = To: the party committee of { $workplace }
doc-opening = The committee of { $cell }, after consulting the residential area's Front work committee, agrees on the following comment on { $name } for { $year }:
doc-member-name = Full name: { $name }
doc-member-workplace = Workplace: { $workplace }
doc-member-residence = Residence: { $cell }, { $ward }
doc-criteria-heading = Comment:
doc-criterion-column = Criterion
doc-level-column = Level
doc-evidence-heading = Evidence (activities recorded by the cell during the year):
request-doc-evidence-heading = Evidence (activities recorded by the cell during the period asked about):
doc-remarks-heading = Other remarks:
doc-response-heading = The member's response:
doc-member-accepted = The member read and accepted the comment.
doc-member-seen = The draft was sent to the member; no answer within the time allowed (counts as seen).
doc-member-earlier-response = The member's response to the draft before it was changed: { $response }. The changed draft was sent again; no further answer within the time allowed.
doc-exempt-note = The member is exempt from residence meetings: { $reason }.
doc-sign-left = CONFIRMED BY THE PARTY COMMITTEE
doc-sign-right = FOR THE CELL
doc-sign-role = SECRETARY
doc-verification = Verification code: { $code } — check it with /verify { $code } on the lienhe bot.

## Early warning
reminder-at-risk = ⚠️ In { $year } you have approved activity in { $months ->
        [0] no month
        [one] only one month
       *[other] only { $months } months
    } so far: at year end, your contact with the cell and the people where you live may be commented as not regular. Please take part in activities where you live.
digest-at-risk = • ⚠️ Year { $year } at risk of a "not regular" comment (fewer than 2 months with activity) ({ $count }): { $names }
digest-unsigned = • Comment sheets of { $year } not signed yet ({ $count }): { $names }. Please complete them with /sheets by { $until }.

## Issue 8: members move and change
menu-profile = Your details (phone, workplace)
move-ask = You are a member of { $from }. Are you moving house and transferring to { $cell }?
move-button-confirm = Yes, I am moving
move-cancelled = Cancelled. You remain a member of { $from }.
move-old-ended = You are no longer a member of { $from } (the cell has ended your membership). To join the new cell, open its invite link again.
move-intro = The details below come from your previous cell; you can change your phone and workplace later with /profile.
move-card = 🔁 Moving from the cell: { $cell }
move-old-secretary-told = { $name } has moved from { $cell } to { $new_cell } (confirmed by the new cell's secretary). They are no longer on the members' list of { $cell }; their approved activities remain recorded for the cell.
move-evidence-at = { $line } — in { $cell }
end-button-left-area = Left the area
end-button-retired = Retired from work
end-button-transferred = Party membership transferred elsewhere
end-reason-moved = moved to another cell
end-reason-left-area = left the area
end-reason-retired = retired from work
end-reason-transferred = party membership transferred elsewhere
end-ask-note = Please type the reason for ending { $name }'s membership ({ $reason }). Send /cancel if you do not want to go on.
end-confirm =
    End { $name }'s membership of { $cell }?
    Type: { $reason }
    Reason: { $note }
end-done = { $name }'s membership of { $cell } has ended and the member has been told.
end-cancelled = Cancelled. { $name } remains a member of the cell.
end-not-active = This member is no longer a member of your cell.
member-card-own = This is your own membership: the other member of the cell committee manages it. Your phone and workplace: /profile.
member-card-own-alone = This is your own membership; the cell committee has no other member to manage it now (a deputy: /invite deputy). Your phone and workplace: /profile.
end-member-told = The cell committee has ended your membership of { $cell } ({ $reason }). Reason: { $note }. Your approved activities remain recorded. From now on you get no reminders and cannot report through this cell.
membership-ended = Your membership of { $cell } ended on { $date }: you are no longer a member of a residence cell in the system. If you are now a member of another residence cell, please open that cell's invite link (/myreports still shows your reports).
end-no-report = Your membership of { $cell } ended on { $date }, so you cannot report activities. If you are now a member of another residence cell, please open that cell's invite link.
card-pick = { $cell }: press a member's name to open their card ({ $from } to { $to } of { $total }).
card-text =
    Member details
    Full name: { $name }
    Cell: { $cell }
    Phone: { $phone }
    Workplace: { $workplace }
    Status: { $status }
    Joined: { $joined }
    Exempt from meetings: { $exempt }
card-status-active = active
card-status-pending-move = active (transfer to { $cell } requested)
card-not-exempt = no
profile-text =
    Your details
    Full name: { $name }
    Cell: { $cell }
    Phone: { $phone }
    Workplace: { $workplace }
profile-button-phone = Change phone
profile-button-workplace = Change workplace
profile-not-member = /profile is for members of a residence cell.
profile-wait-approval = Your request to join { $cell } has not been confirmed yet: once the cell's secretary confirms it, /profile shows your details and lets you change them.
profile-membership-ended = Your membership of { $cell } ended on { $date }: you are no longer a member of a residence cell, so there is nothing to change here.
profile-phone-saved = Your phone is now { $phone }.
profile-phone-removed = Your phone number was removed.
button-phone-keep = Keep it as it is
button-phone-remove = 🗑 Remove my number
profile-ask-phone = Please share your new phone number with the button below or type it. "🗑 Remove my number" removes it; "Keep it as it is" (or /cancel) changes nothing.
profile-phone-kept = Your phone number has not changed.
profile-error-phone = That is not a valid phone number: type a Vietnamese mobile or landline number (for example 0912 345 678); a foreign one starts with +.
profile-workplace-saved = Your workplace is now { $workplace }.
profile-workplace-same = Your workplace has not changed.
profile-moves-header = Changes of workplace in { $year }:
profile-moves-since-header = Changes of workplace since { $date }:
profile-moved-out = • { $name } ({ $cell }): moved to { $workplace } on { $date }
profile-moved-in = • { $name } ({ $cell }): came from { $workplace } on { $date }
resubmit-button = ✏️ Edit and resubmit
resubmit-button-kind = Change kind
resubmit-button-date = Change date
resubmit-button-text = Change text
resubmit-button-photos = Change photos
resubmit-intro = Editing report no. { $id } (reason it was not approved: { $reason }). Press the buttons to change each part, then press «Submit».
resubmit-card =
    Resubmitted after rejection: { $reason }
    Previous text: { $previous }
resubmit-previous-shortened = (shortened; whole in report no. { $id })
resubmit-already = This report was already edited and resubmitted (report no. { $id }).
report-already-submitted = Report no. { $id } was already sent at { $at }; there is no need to send it again.
report-already-recorded = The cell's meeting register already records this activity for { $date } (no. { $id }, see /myreports), so it need not be reported: nothing was sent.
resubmit-not-possible = This report can no longer be resubmitted (it was resubmitted already, or you are no longer a member of that cell).
resubmit-membership-ended = Your membership of { $cell } ended on { $date }: this report can no longer be edited and resubmitted.
resubmit-chain = ↳ resubmission of report no. { $id } of { $date }
resubmit-chain-next = → edited and resubmitted as report no. { $id }
dup-photo-more = { $count ->
    [one] ⚠️ … and 1 more report sent with this photo.
   *[other] ⚠️ … and { $count } more reports sent with this photo.
}
dup-photo = ⚠️ This photo was already sent with the report of { $name } on { $date }
## Issue 8: review year
year-sheets-not-yet = The comment sheets of { $year } can be drafted and signed from { $from } until the end of { $until }; that time has not come yet.
year-sheets-closed = The comment sheets of { $year } could be drafted and signed only from { $from } to the end of { $until }; that time is over.
year-usage = Usage: { $command } or { $command } YEAR (for example { $command } 2026).
year-future = The year { $year } has not come yet.
year-no-data = There is no data for { $year }.
year-sheet-not-signed = The { $year } comment sheet of { $name } is not signed yet (state: { $state }).
year-no-signed-sheet = { $name } has no signed comment sheet yet.
year-stats-empty = { $scope }: { $year } has no month to judge yet.
year-criteria-title = Criteria:
year-photos-skipped = No photos sent.
ask-photos-change = { $count ->
    [one] Send the new photos (they replace the report's photo), press "Skip" to keep it as it is, or "Remove photos" to send the report without photos.
   *[other] Send the new photos (they replace the report's { $count } photos), press "Skip" to keep them as they are, or "Remove photos" to send the report without photos.
}
photos-kept = { $count ->
    [one] The report keeps its photo.
   *[other] The report keeps its { $count } photos.
}
photos-removed = The report's photos are removed: it is sent without photos.
year-idle-officer = You follow your workplace's party members: use /status for how they are doing, /sheet full name to get a signed comment sheet, /export for the table. Other commands: /help.
year-idle-supervisor = You follow the cells of your ward: use /stats for statistics and /export for the table. Other commands: /help.
year-button-open = Open sheet
year-help-years = { $commands } work on the year under review (early in a year, until the previous year's sheets close, that is the previous year); add a year to choose another, for example { $example }.
year-help-sheet-command = /sheet full name
intro-ask = From which month were you introduced to your residence cell? Please type month/year (for example { $example }), or press the button if it is this month.
intro-button-this-month = This month ({ $month })
intro-chosen = Month introduced to the cell: { $month }
intro-unreadable = That month/year could not be read. Please type it as month/year, for example { $example }.
intro-future = { $month } has not come yet. A month in the future cannot be chosen.
intro-too-old = { $month } is more than { $years } years ago. Please check it.
intro-line = Month introduced to the cell: { $month }
intro-unknown = not recorded (counted from the month accepted)
intro-button-correct = Correct month of introduction
intro-correct-ask = The month { $name } was introduced to the cell is now { $month }. Please type the right month/year (for example { $example }), or /cancel to stop.
intro-corrected = The month { $name } was introduced to the cell is now { $month }. The months of the year they are judged on follow it.
## Issue 8: cell committee
deputy-invite-link =
    Invite code for the deputy secretary of { $cell } (single use):
    { $link }
    Valid until { $until }. Send this link to the member appointed deputy secretary of the cell.
deputy-invite-replaces = { $cell } has a deputy secretary, { $name }: whoever uses this code becomes its deputy secretary in their place ({ $name } keeps their membership of the cell, if any). If you only meant to invite members, send /invite.
deputy-invite-usage = Usage: /invite — the member invite link; /invite deputy — a code for the cell's deputy secretary.
invite-deputy-ask-secretary = Links to join { $cell } are made by its secretary, { $name }: please ask them for one.
invite-deputy-no-secretary = { $cell } has no secretary at present: links to join it are made by the secretary the ward party committee appoints. Until then, the cell's joins and reports come to you to decide.
deputy-invite-accepted = Valid code: you are invited to be deputy secretary of { $cell }.
deputy-already = You are already deputy secretary of { $cell }.
deputy-is-secretary = You are the secretary of { $cell }, so you cannot also be its deputy secretary.
deputy-confirmed = Confirmed: { $name } is deputy secretary of { $cell } in the system. The secretary's own items come to you.
deputy-replaced = { $name } has been appointed deputy secretary of { $cell }; you are no longer the cell's deputy secretary in the system. Your membership (if any) is unchanged.
handover-old-secretary = { $name } has taken over as secretary of { $cell } in the system. You no longer have the secretary's rights; your membership (if any) is unchanged. Pending items now go to the new secretary (the new secretary's own, to the deputy or, where the cell has none, the ward's supervisors).
committee-role-gone = You are no longer { $role ->
        [deputy] the deputy secretary
       *[other] the secretary
    } of { $cell }: you can no longer act on its items.
committee-role-gone-now = You are no longer { $role ->
        [deputy] the deputy secretary
       *[other] the secretary
    } of { $cell }: { $who } handles its items now.
committee-role-gone-supervisors = You are no longer { $role ->
        [deputy] the deputy secretary
       *[other] the secretary
    } of { $cell }: this item is now decided by the ward's supervisors, as the cell has no one else on its committee to decide it.
command-role-gone = You are no longer { $role ->
        [deputy] the deputy secretary
       *[other] the secretary
    } of { $cell } (since { $date }), so this command is no longer yours to use.
meetings-role-gone = You are no longer { $role ->
        [deputy] the deputy secretary
       *[other] the secretary
    } of { $cell } (since { $date }), so its meetings are no longer shown to you.
secretary-role-gone-line = You are no longer the secretary of { $cell } (since { $date }).
command-role-gone-join = To report your own activities as a party member, open the invite link of the residence cell where you live (its secretary sends it); /help lists what you can use now.
supervisor-item-taken = { $cell } now has someone on its committee to decide this: { $who } decides it. The ward's supervisors decide a secretary's own items only where the cell has no deputy secretary.
escalation-offered = ⏳ This item has been waiting for more than { $days } days; please decide it as deputy secretary.
cards-more = { $cell }: { $count ->
        [one] 1 more join request or report waits
       *[other] { $count } more join requests and reports wait
    } for your decision. Send /pending to see them all with their buttons.
escalation-offered-more = ⏳ { $cell }: { $count ->
        [one] 1 more join request or report has
       *[other] { $count } more join requests and reports have
    } been waiting for more than { $days } days; please decide them as deputy secretary. Send /pending to see them all with their buttons.
escalation-supervisors = ⏳ Cells with items waiting for more than { $days } days:
escalation-supervisors-cell = • { $cell }: { $joins ->
        [one] 1 join request
       *[other] { $joins } join requests
    }, { $reports ->
        [one] 1 report
       *[other] { $reports } reports
    }
role-committee-only = This command is for cell secretaries and deputy secretaries.
deciders-only = This command is for cell secretaries and deputy secretaries, and for ward supervisors standing in for a cell's committee (the items and comment sheets of secretaries and deputies that nobody else in their cell can decide).
role-nothing-to-decide = There is nothing waiting for your decision.
role-help-deputy =
    As deputy secretary of a cell:
    /pending — join requests and reports waiting (the secretary's own included)
    /members — members and this month's activity
    /sheets — year-end comment sheets (the secretary's own included)
    /requests — comments workplaces asked of the cell
role-help-supervisor-decides = /pending, /sheets — items and comment sheets of secretaries and deputies that nobody else in their cell can decide
role-own-join-sent = Your request to join { $cell } was sent for a decision; nobody decides their own item: it went to the deputy secretary (or the secretary), or, if the cell has none, to the ward's supervisors.
role-own-join-waits = Your request to join { $cell } was recorded. Nobody decides their own item, and there is nobody else on the cell's committee nor a ward supervisor here yet; it will be reviewed when there is one.
role-own-report-sent = Report no. { $id } was sent for a decision; nobody decides their own item: it went to the deputy secretary (or the secretary), or, if the cell has none, to the ward's supervisors.
role-own-report-waits = Report no. { $id } was recorded. Nobody decides their own item, and there is nobody else on the cell's committee nor a ward supervisor here yet; it will be reviewed when there is one.

## Issue 8: who signs a sheet
doc-sign-role-deputy = DEPUTY SECRETARY
doc-sign-role-ward = FOR THE WARD PARTY COMMITTEE
signer-secretary = secretary
signer-deputy = deputy secretary
signer-ward = representative of the ward party committee

## Issue 9: views
page-of = Page { $page }/{ $pages }
page-prev = ◀ Previous
page-next = Next ▶
overview-scope-gone = You no longer hold a role that shows you { $scope }: its figures are not sent.
page-xlsx = 📄 Download the list (XLSX)
page-xlsx-above = You just asked for this list: its file is on its way or already in the message above.
page-xlsx-caption = The whole list ({ $count ->
        [one] 1 row
       *[other] { $rows } rows
    }).
page-gone = This page is no longer in the list: the list has become shorter. Its last page, as it is now, is shown instead.
page-col-name = Full name
# The start of a downloaded list's file name (letters without accents, joined by hyphens).
page-file-status = status
page-file-members = members
page-file-pending = pending
page-file-sheets = comment-sheets
page-file-cells = cells
page-col-cell = Cell
page-col-reports = Approved activities
page-col-duties = By duty
page-col-last = Latest activity
page-col-silent = Months without activity
page-col-months = Months with activity
page-col-sheet = Comment sheet
page-col-flag = Warning
page-col-kind = Kind
page-col-date = Date
page-col-content = Content
page-col-month = Approved activities this month
page-kind-join = Join request
page-kind-report = Activity report
page-pending-summary = { $cell } — all { $count } pending items (the first 10 of each kind are shown above with their Approve/Reject buttons):
page-pending-join = { $n }. [Join request] { $name } — { $date }
page-pending-report = { $n }. [Report no. { $id }] { $name } — { $date }: { $text }
page-col-workplace = Workplace
search-ask = Where do you work? Type part of the workplace's name (accents are optional, e.g. so tu phap) to search, or press "Other…".
search-found = { $count ->
        [one] 1 workplace matches
       *[other] { $count } workplaces match
    } "{ $typed }". Choose one, type another name to search again, or press "Other…".
search-many = Many workplaces match "{ $typed }"; here are the first { $count }. Choose one, type more of the name to narrow it, or press "Other…".
search-none = No workplace matches "{ $typed }". Type another part of the name, or press "Other…" to type the full name.

## Issue 10: meetings (calling a meeting, answers, reminders)
meeting-menu-meeting = Call a meeting of the cell
meeting-menu-meetings = Meetings of the year
meeting-help-committee =
    Meetings:
    /meeting — call a meeting (kind, date and time, place, agenda), invitations to every member
    /meetings — the cell's meetings of the year, with the answers
meeting-help-member = /meetings — your meeting invitations of the year and your answers
meeting-committee-only = This command is for the secretary or deputy secretary of a cell.
meeting-ask-kind = Calling a meeting of { $cell }. What kind of meeting is it?
meeting-kind-periodic = Periodic meeting with working members
meeting-kind-cell = Other meeting called by the cell
meeting-kind-residents = Residents' meeting of the street group
meeting-ask-start = When does the meeting start? Type the date and time as dd/mm/yyyy hh:mm, for example { $example }.
meeting-start-format = "{ $typed }" is not a date and time in the form dd/mm/yyyy hh:mm.
meeting-start-impossible = There is no such date or time: "{ $typed }".
meeting-start-past = { $typed } has already passed: the meeting must start in the future.
meeting-start-too-far = { $typed } is too far ahead: a meeting can be called at most { $days } days in advance.
meeting-ask-place = Where will the meeting be held? (at most { $max } characters)
meeting-place-empty = The place cannot be empty.
meeting-place-too-long = The place is too long: at most { $max } characters.
meeting-ask-agenda = What is the agenda? (at most { $max } characters)
meeting-agenda-empty = The agenda cannot be empty.
meeting-agenda-too-long = The agenda is too long: at most { $max } characters.
meeting-expect-button = Please choose with the buttons below.
meeting-summary-draft =
    Please check the meeting before sending the invitations:

    { $text }

    The invitation will go to { $count ->
        [one] 1 member
       *[other] { $count } members
    } of the cell.
meeting-button-send = 📨 Send invitations
meeting-button-cancel = Cancel
meeting-discarded = Cancelled. No invitation was sent.
meeting-no-members = The cell has no active members to invite yet. No invitation was sent.
meeting-no-members-yet = { $cell } has no confirmed members to invite to a meeting yet. Members join through the cell's invite link, which the cell's secretary creates with /invite and sends to them.
meeting-choose-another-cell = You can still choose another of your cells above.
meeting-summary-shown = This meeting has been called already: its summary, with its buttons, is shown above in this chat.
meeting-sent = The invitations are being sent to { $count ->
        [one] 1 member
       *[other] { $count } members
    }. The summary below shows their answers as they come in.
meeting-details =
    { $kind } — { $cell }
    🕒 Time: { $when }
    📍 Place: { $place }
    📋 Agenda:
    { $text }
meeting-invitation =
    📣 Invitation to a meeting
    { $text }
meeting-invitation-exempt = ℹ️ For information: you are exempt from residence meetings, attendance is not required.
meeting-button-attend = ✅ I will attend
meeting-button-decline = ❌ I cannot attend
meeting-your-answer-attend = Your answer: you will attend.
meeting-your-answer-decline = Your answer: you cannot attend. Reason for absence: { $reason }
meeting-answer-recorded = Your answer is recorded.
meeting-ask-reason = Why can you not attend? Please type the reason for your absence (at most { $max } characters).
meeting-decline-recorded = Your answer is recorded: you cannot attend. You can change it until the meeting starts.
meeting-reason-missing = (no reason given yet)
meeting-reason-not-declining = Your answer to this meeting is no longer "cannot attend", so the reason was not recorded. To change your answer, use the buttons under the invitation.
meeting-not-invited = You are not invited to this meeting.
meeting-gone = This meeting is no longer in the system (called after the backup the bot was restored from): nothing to answer or change. The cell's secretary can call it again with /meeting.
meeting-membership-ended = Your membership of { $cell } ended on { $date }: you are no longer invited to its meetings, so there is nothing to answer here.
meeting-answer-cancelled = This meeting was cancelled: answers are no longer taken.
meeting-answer-closed = The meeting has started: answers can no longer be given or changed.
meeting-answer-moved = This meeting was moved to { $when }: your answer was not recorded. Please answer again for the new time.
meeting-answer-register-closed = Your answer is recorded. The meeting's attendance register has already been closed, so this answer does not change it; if it needs correcting, please contact the cell committee.
meeting-summary-head = 📊 Meeting #{ $n } ({ $status }), { $total } invited
meeting-status-scheduled = scheduled
meeting-status-cancelled = cancelled
meeting-status-postponed = rescheduled { $count ->
        [one] once
       *[other] { $count } times
    }
meeting-exempt-mark = (exempt)
meeting-summary-attending = ✅ Attending ({ $count }): { $names }
meeting-summary-excused = 🟡 Excused ({ $count }):
meeting-summary-excused-line = • { $name } — reason: { $reason }
meeting-summary-unanswered = ⏳ No answer yet ({ $count }): { $names }
meeting-summary-checked-in = 📍 Checked in with the QR code ({ $count }): { $names }
meeting-summary-more = … and { $count } more
meeting-button-register = 📋 Attendance register
meeting-button-summary = 🗓 { $kind } { $when }: view, reschedule, cancel
meeting-button-answer = ✍️ { $kind } { $when }: answer the invitation
meeting-button-postpone = 🕒 Reschedule
meeting-button-cancel-meeting = 🚫 Cancel meeting
meeting-cancel-ask =
    Cancel this meeting? Everyone invited will be told.

    { $text }
meeting-button-cancel-yes = Yes, cancel the meeting
meeting-button-cancel-no = No, keep it
meeting-cancel-kept = The meeting stays as planned.
meeting-cancel-moved = The meeting was moved to { $when } after you pressed Cancel: it is not cancelled. To cancel it still, press Cancel again.
meeting-cancelled-done = The meeting was cancelled; everyone invited is being told.
meeting-already-cancelled = This meeting was cancelled.
meeting-postpone-same-time = The meeting is already at that time: nothing changed, and members are not told again.
meeting-moved-since = While you were typing, the meeting was moved to { $when }. The time you typed was not applied.
meeting-already-started = The meeting has started: it can no longer be rescheduled or cancelled.
meeting-already-held = The meeting's register was closed: the meeting took place, so it can no longer be rescheduled or cancelled.
meeting-ask-new-start = The meeting is now set for { $when }. Type the new date and time as dd/mm/yyyy hh:mm, for example { $example }.
meeting-postponed-done = The meeting is moved to { $when }. Everyone invited is being told and asked to answer again.
meeting-postponed-checkins-reset = { $count ->
        [one] The member who had checked in for the old time is told that check-in no longer counts and asked to check in again.
       *[other] The { $count } members who had checked in for the old time are told that check-in no longer counts and asked to check in again.
    }
meeting-notice-postponed =
    🕒 The meeting has been rescheduled
    { $text }

    Please answer again.
meeting-notice-checkin-again = You had checked in at { $at }, for the old time: that check-in no longer counts. Check-in for the new time is open: please check in again now with the meeting's QR code (the same code).
meeting-notice-checkin-again-later = You had checked in at { $at }, for the old time: that check-in no longer counts. Please check in again with the meeting's QR code (the same code) from { $from }.
meeting-notice-cancelled =
    🚫 The meeting has been cancelled
    { $text }
meeting-register-open =
    📋 { $cell } — { $kind }, { $when }: the register is still open ({ $count ->
        [one] 1 member checked in
       *[other] { $count } members checked in
    }). Until it is closed, nobody's presence is recorded as an activity. Please check it and close it with /attendance by { $until }.
meeting-reminder =
    ⏰ Reminder: the meeting is tomorrow
    { $text }
meeting-reminder-today =
    ⏰ Reminder: the meeting is today
    { $text }
meeting-list-committee-head = Meetings of { $cell } in { $year }
meeting-list-committee-head-ahead = Meetings of { $cell } in { $year } and those still to come
meeting-list-upcoming = Upcoming:
meeting-list-past = Past:
meeting-list-upcoming-line = • { $when } — { $kind }, { $place }: { $total } invited, { $count } attending, { $n } excused, { $silent } no answer
meeting-list-past-line = • { $when } — { $kind }, { $place }: held; { $total } invited, { $count } attending, { $n } excused, { $silent } no answer; { $members } present in the register
meeting-list-open-line = • { $when } — { $kind }, { $place }: begun, its register not closed yet (until it is, the meeting is not counted as held); { $total } invited, { $count } attending, { $n } excused, { $silent } no answer
meeting-list-cancelled = • { $when } — { $kind }, { $place }: cancelled
meeting-list-empty-committee = { $cell } has no meetings in { $year } yet. Call one with /meeting.
meeting-list-mine-head = Your meeting invitations in { $year }
meeting-list-mine-head-ahead = Your meeting invitations in { $year } and to meetings still to come
meeting-list-mine-line = • { $when } — { $kind }, { $place } ({ $cell }): { $status }
meeting-mine-attend = you will attend
meeting-mine-decline = you cannot attend ({ $reason })
meeting-mine-none = no answer yet
meeting-mine-cancelled = cancelled
meeting-mine-present = present
meeting-mine-excused = excused absence
meeting-mine-absent = absent
meeting-list-empty-member = You have no meeting invitations in { $year }.
meeting-list-more = …and { $count } more not shown.
meeting-ask-cell = You are on the committee of several cells. Which cell calls the meeting?

# roster
roster-menu = The workplace's roster (XLSX or CSV)
roster-help = /roster — send the list of the workplace's working party members (XLSX or CSV) to see who is not registered with a residence cell; in /status, the Introduce button makes a link introducing a person to their residence cell
roster-choose = You follow several workplaces. Send /roster followed by the workplace's number:
roster-choose-line = { $id } — { $name }
roster-ask =
    Send the roster of { $workplace } as a file (XLSX or CSV, at most 5 MB and 5,000 rows): one row per working party member, with full name and phone, and optionally position and date of birth (dd/mm/yyyy).
    A first row with the column names ("Name", "Phone", "Position", "Date of birth", or in Vietnamese) is recognised; without it the columns are A = name, B = phone, C = position, D = date of birth.
    Nothing is stored before you confirm. /cancel to stop.
roster-send-file = Please send the list as a file (XLSX or CSV), or /cancel.
roster-not-document = That is a photo. Please send the list as a file (XLSX or CSV) — in Telegram, attach it as a "File", not as a photo.
roster-too-large = The file is larger than 5 MB. Nothing was stored; please send a smaller file.
roster-too-many-rows = The file has more than 5,000 rows, or expands to too much. Nothing was stored; please send a shorter list.
roster-not-spreadsheet = This file is not a spreadsheet (XLSX or CSV). Nothing was stored; please send the list as XLSX or CSV.
roster-malformed = This spreadsheet cannot be read (damaged or in another format). Nothing was stored; please save it again as XLSX or CSV and send it.
roster-old-excel = This file is in the old Excel 97–2003 format (.xls), which cannot be read. Nothing was saved; please open it in Excel, save it as "Excel Workbook (.xlsx)" (Save As → Excel Workbook) or "CSV UTF-8", and send it again.
roster-not-utf8 = This CSV file is not in UTF-8 (it may have been saved in a Windows code page), so its Vietnamese letters would be garbled. Nothing was saved; please save it again as "CSV UTF-8" (in Excel: Save As → CSV UTF-8) or send an XLSX file.
roster-nothing-valid = There is no valid row, so nothing can be imported (the current roster stays as it is). Please correct the rows above and send the file again, or send /cancel.
roster-empty = The file has no row with data. Nothing was stored; please send the list.
roster-download-failed = The file could not be fetched from Telegram. Nothing was stored; please send it again.
roster-preview-header = Roster of { $workplace }: { $read ->
        [one] 1 row read
       *[other] { $rows } rows read
    }. Nothing is imported yet; if not imported, this preview is deleted after 24 hours.
roster-preview-matched = Registered with a residence cell: { $count }
roster-matched-line = line { $line }: { $name } — { $cell } ({ $by ->
        [introduction] by the introduction link
        [phone] by phone
       *[name] by name
    })
roster-matched-elsewhere-line = line { $line }: { $name } — registered, with another workplace declared ({ $by ->
        [introduction] by the introduction link
        [phone] by phone
       *[name] by name
    })
roster-preview-unregistered = Not registered with a residence cell: { $count }
roster-unregistered-line = line { $line }: { $name }
roster-status-elsewhere = on the workplace's roster; a member of { $cell } with another workplace declared
roster-preview-bad = Rows left out: { $count }
roster-bad-no-name = line { $line }: no name
roster-bad-name-too-long = line { $line }: the name is longer than 200 characters
roster-bad-phone = line { $line }: "{ $phone }" is not a Vietnamese phone number
roster-bad-several-phones = line { $line }: the phone cell "{ $phone }" holds more than one number; keep one number per person
roster-bad-birth = line { $line }: "{ $date }" is not a date of birth (dd/mm/yyyy)
roster-bad-duplicate = line { $line }: duplicate of line { $of }
roster-more = …and { $count } more.
roster-preview-footer = Import replaces the workplace's roster with { $count ->
        [one] the 1 good row
       *[other] the { $rows } good rows
    }.
roster-button-import = Import
roster-button-cancel = Cancel
roster-imported = Imported: the roster of { $workplace } now has { $count ->
        [one] 1 person
       *[other] { $people } people
    }. /status lists those not registered with a residence cell.
roster-already-imported = This roster was already imported.
roster-gone = This preview is no longer valid (cancelled or older than 24 hours). Send /roster again.
roster-replaced = This preview was replaced by the files you sent after it (only your latest { $count } are kept); nothing was imported. Press Import under the latest preview.
file-album-one-read = You sent several files at once: only the file of this preview was read, not the others. Please send each of them on its own after { $command }.
roster-superseded = A roster sent after this one has been imported since: this preview no longer counts. Send /roster again to replace it.
roster-cancelled = Cancelled: nothing was stored.
roster-unregistered = not registered with a residence cell
roster-namesake-phone = { $name } (phone { $phone })
roster-namesake-line = { $name } (line { $line } of the roster)
roster-status-count = Roster: { $count ->
        [one] 1 person
       *[other] { $people } people
    } not registered with a residence cell (at the end of the list)
# introductions
introduce-button = ✉️ Introduce: { $name }
introduce-status-date = introduced on { $date }
introduce-link =
    The link introducing { $name } ({ $workplace }) to a residence cell:
    { $link }
    It is for one person and valid until { $until }. Please pass it on to { $name }; you will be told when the residence cell approves or rejects the request.
introduce-entry-gone = This person is no longer on the workplace's roster (it was imported again). Please send /status again.
introduce-entry-registered = This person is already registered with a residence cell; no introduction is needed.
introduce-welcome = { $name }, { $workplace } introduces you to your residence party cell.
introduce-ask-ward = Please choose the ward or commune where you live (or type part of its name):
introduce-ask-cell = Please choose your residence cell in { $ward } (or type part of its name):
introduce-button-other-ward = ⬅️ Another ward
introduce-search-none = No name contains "{ $typed }". Please type another part of the name or choose from the list.
introduce-search-more = { $count } names match; here are the first { $shown }. Type more to narrow them down.
introduce-no-wards = There is no ward in the system yet. Please contact the workplace that sent you the link.
introduce-ward-no-cells = { $ward } has no residence cell in the system yet. Please choose another ward or contact the party committee of { $ward }.
introduce-ward-chosen = Ward: { $ward }
introduce-cell-chosen = Residence cell: { $cell }
introduce-unknown = This introduction link is not valid. Please ask the workplace that sent it for a new one.
introduce-expired = This introduction link has expired (30 days). Please ask the workplace that sent it for a new one.
introduce-used = This introduction link has already been used. Each link is for one person and can be used once; please contact the workplace that sent it if needed.
introduce-registered = The person this link introduces is already registered with a residence cell; the link is no longer valid.
introduce-button-revoke = 🚫 Withdraw this link
introduce-revoke-done = The link was withdrawn.
introduce-revoke-already = This link was already withdrawn.
introduce-revoke-used = This link has already led to a join request, so it can no longer be withdrawn; the residence cell's secretary decides the request.
introduce-gone = This introduction link is no longer in the system (made after the backup the bot was restored from): there is nothing to withdraw. You can introduce the person again from /status.
introduce-link-revoked = The link introducing { $name } ({ $workplace }) was withdrawn on { $at } and can no longer be used. To introduce { $name } again, press Introduce in /status: a new link is made.
introduce-revoked = This introduction link was withdrawn by the workplace that sent it. Please ask it for a new one.
introduce-by-line = Introduced by: { $by }
introduce-card = ✉️ Introduced by: { $by }
introduce-card-other-name = ⚠️ The introduction was made for { $name }, not the name given above: please check who this is before approving.
introduce-approved = { $cell } approved { $name } (introduced by your workplace) as a member living in its area.
introduce-rejected = { $cell } did not approve the request of { $name } (introduced by your workplace). Please contact the cell's secretary or { $name }.

## Issue 10: attendance
attendance-help =
    Meeting attendance:
    /checkin — the check-in QR code of a meeting about to start or under way
    /attendance — the register: Present, Excused, Absent; close the register
checkin-menu = Check-in QR code of a meeting
attendance-menu = Meeting register, close it
attendance-kind-periodic = Periodic meeting
attendance-kind-cell = Cell meeting
attendance-kind-residents = Residents' meeting
attendance-present = Present
attendance-excused = Excused
attendance-absent = Absent
checkin-none = The cell has no meeting in its check-in time (from 60 minutes before to 4 hours after its start) and none to come.
checkin-not-open = Check-in is not open yet: { $kind } at { $when } in { $place }; check-in opens at { $until }.
checkin-caption =
    Check-in QR code — { $kind }, { $cell }, { $when }, in { $place }.
    Members of the cell scan it or open the link to check in: { $link }
    Check-in is open until { $until }. Checked in: { $count }.
checkin-done = Checked in: you are present at the { $kind }, { $cell }, { $when }.
checkin-already = You already checked in to this meeting ({ $kind }, { $cell }, { $date }) at { $when }.
checkin-not-yet = Check-in for this meeting ({ $kind }, { $cell }, { $date }) is not open yet: it opens at { $when }.
checkin-closed = Check-in for this meeting ({ $kind }, { $cell }, { $date }) is closed (it closed at { $when }).
checkin-cancelled = This meeting ({ $kind }, { $cell }, { $date }) was cancelled; there is nothing to check in to.
checkin-not-member = You are not a member of { $cell }, so you cannot check in to this meeting.
checkin-marked-absent = The cell's register marks you absent from this meeting ({ $kind }, { $cell }, { $date }), so your check-in was not recorded. If you are there, ask the secretary or deputy secretary to correct it in the register (it can be corrected until { $until }).
checkin-marked-excused = The cell's register marks you excused from this meeting ({ $kind }, { $cell }, { $date }), so your check-in was not recorded. If you are there, ask the secretary or deputy secretary to correct it in the register (it can be corrected until { $until }).
checkin-not-confirmed = Your request to join { $cell } has not been confirmed yet, so your check-in cannot be recorded. Once the secretary or deputy secretary confirms it, open this check-in code again (before { $until }).
checkin-unknown = This check-in code is wrong or no longer valid. Please scan the QR code shown at the meeting; if that does not work, the cell committee can mark you present in the register.
attendance-none = No meeting to take attendance of: the register opens 60 minutes before a meeting and can be corrected for 7 days after it.
attendance-choose = Choose the meeting:
attendance-meeting-button = { $kind } — { $when }
attendance-header =
    Register — { $kind }, { $cell }
    { $when }, in { $place }
    Present: { $count }/{ $total }. Press a name to change it: ✅ Present → 🟡 Excused → ❌ Absent.
attendance-header-closed = Register closed at { $when }; it can be corrected until { $until }.
attendance-page = Page { $page } of { $pages } (members { $from }–{ $to }); ◀ ▶ below turn the page.
attendance-empty = Nobody is on this meeting's list.
attendance-reasons = Reasons given for not attending:
attendance-close-button = 🔒 Close the register
attendance-closed-done = Register closed: { $count ->
        [one] 1 member present has
       *[other] { $count } members present have
    } the activity recorded (recorded by the cell).
attendance-closed-linked = { $count ->
        [one] 1 member had
       *[other] { $count } members had
    } reported the same kind of activity that day themselves: their report is linked to the meeting, not doubled. Pending reports approved by the register: { $n }.
attendance-already-closed = The register was already closed.
attendance-too-late = The register can no longer be corrected (it could be until { $until }).
attendance-cancelled = This meeting was cancelled: its register is not kept.
attendance-not-open = The meeting was rescheduled: its register opens at { $when } (60 minutes before the start).
attendance-gone = The meeting was cancelled or rescheduled (its register is not open yet), or the member is not on its list.
attendance-own = You cannot mark yourself in the register: your own attendance counts from your check-in (the meeting's QR code), or another member of the cell committee records it.
attendance-marked = { $name }: { $status }.
attendance-recorded-by-cell =   ↳ Recorded by the cell (meeting register)
attendance-evidence-held = Cell meetings in { $year }: { $total } held, { $count } attended
attendance-evidence-held-period = Cell meetings in the period asked about: { $total } held, { $count } attended
attendance-evidence-meeting = – { $date }: { $kind } — { $status }
attendance-evidence-meeting-reason = – { $date }: { $kind } — { $status } (reason: { $reason })
attendance-digest-half = • No periodic meeting in this half-year yet ({ $from } to { $to }): the cell meets its working members at least every six months.
attendance-digest-half-open = • The periodic meeting of { $when } has begun, but its attendance register is still open: close it with /attendance by { $until } and the meeting will count as held.
attendance-digest-past-half = • No periodic meeting was held in the half-year from { $from } to { $to }: the cell meets its working members at least every six months.
attendance-stats-half = Cells with no periodic meeting held (its register closed) or to come in this half-year ({ $from } to { $to }), { $count }: { $names }
attendance-stats-half-none = Every cell has held (its register closed) or called a periodic meeting in this half-year ({ $from } to { $to }).
attendance-stats-past-half = Cells with no periodic meeting held (its register closed) in the second half of { $year } ({ $from } to { $to }), { $count }: { $names }
attendance-stats-past-half-none = Every cell held a periodic meeting (its register closed) in the second half of { $year } ({ $from } to { $to }).
attendance-stats-half-no-cells = The ward has no residence cell in the system yet: there are no periodic meetings to follow.
attendance-status = cell meetings: { $count }/{ $total }
attendance-export-held = Cell meetings held
attendance-export-attended = Cell meetings attended (register)

## Operating the bot (issue 12): messages to the operator (LIENHE_OPERATOR_CHAT).
ops-backup-failed = ⚠️ lienhe: the daily backup of { $day } failed: { $error }. The bot keeps running; please check the backup directory and the disk (lienhe doctor), then take one by hand with lienhe backup --out FILE.
ops-backup-retry = The next attempt is due at { $at }.
ops-backup-no-retry = That was the last attempt today; the next daily backup is tomorrow.
ops-backup-recovered = ✅ lienhe: the daily backup of { $day } was written and checked at attempt { $attempt }: { $file }.

## Personal data (issue 12): /mydata and /forgetme.
menu-mydata = Everything stored about me (XLSX and JSON)
menu-forgetme = Erase my personal data
mydata-caption = Everything lienhe stores about you: your profile, { $members ->
        [one] 1 membership
       *[other] { $members } memberships
    }, { $reports ->
        [one] 1 report
       *[other] { $reports } reports
    } and their decisions, { $n ->
        [one] 1 comment sheet
       *[other] { $n } comment sheets
    } and { $count ->
        [one] 1 meeting invitation
       *[other] { $count } meeting invitations
    }. Nothing about anyone else, except the name of whoever decided on your items and of the workplace officer who asked for a comment on you.
mydata-caption-json = The same data as JSON (for other programs).
mydata-sheet-profile = Profile
mydata-sheet-memberships = Memberships
mydata-sheet-exemptions = Exemptions
mydata-sheet-reports = Reports
mydata-sheet-sheets = Comment sheets
mydata-sheet-meetings = Meetings
mydata-sheet-messages = Messages to you
mydata-col-queued = Queued on
mydata-col-message-text = Message text
mydata-message-queued = waiting to be sent
mydata-message-sent = sent
mydata-message-unreachable = not delivered (unreachable)
mydata-message-failed = not delivered (failed)
mydata-sheet-workplace-changes = Workplace changes
mydata-sheet-requests = Requests for a comment
mydata-sheet-kind-yearly = yearly comment
mydata-sheet-kind-request = comment requested by the workplace on { $date }
mydata-col-asked-by = Asked by
mydata-col-period = Period
mydata-col-due = Due
mydata-col-from = From
mydata-col-to = To
mydata-sheet-introductions = Workplace introductions
mydata-col-made = Made on
mydata-col-opened = Opened on
mydata-col-used = Used on
mydata-col-field = Field
mydata-col-value = Value
mydata-field-telegram-id = Telegram user id
mydata-field-full-name = Full name
mydata-field-telegram-name = Telegram name
mydata-field-username = Telegram username
mydata-field-phone = Phone
mydata-field-language = Language
mydata-field-first-seen = First message to the bot
mydata-field-last-seen = Last message to the bot
mydata-field-unreachable = Unreachable since
mydata-field-forgotten = Erasure asked on
mydata-field-role = Role
mydata-role-secretary = Cell secretary
mydata-role-deputy = Deputy secretary
mydata-role-officer = Workplace officer
mydata-role-supervisor = Ward supervisor
mydata-col-id = No.
mydata-col-cell = Cell
mydata-col-ward = Ward
mydata-col-workplace = Workplace
mydata-col-status = Status
mydata-col-requested = Requested on
mydata-col-decided = Decided on
mydata-col-decided-by = Decided by
mydata-col-introduced = Introduced (month)
mydata-col-exempt = Exempt
mydata-col-exempt-since = Exempt since
mydata-col-exempt-until = Exemption lifted
mydata-col-ended = Ended on
mydata-col-end-reason = Why it ended
mydata-col-end-note = Note on the ending
mydata-col-kind = Kind
mydata-col-date = Date
mydata-col-description = Description
mydata-col-photos = Photos
mydata-col-sent = Sent on
mydata-col-reason = Reason
mydata-col-previous = Resubmission of report no.
mydata-col-by-cell = Recorded by the cell
mydata-col-year = Year
mydata-col-remarks = Other remarks
mydata-col-sent-to-member = Sent to you on
mydata-col-answer = Answer
mydata-col-response = Your response
mydata-col-answered = Answered on
mydata-col-signed = Signed on
mydata-col-signed-by = Signed by
mydata-col-code = Verification code
mydata-col-when = Date and time
mydata-col-place = Place
mydata-col-cancelled = Cancelled
mydata-col-attendance = Attendance
mydata-col-checked-in = Checked in at
mydata-col-checked-in-earlier = Checked in for the earlier time (no longer counts)
mydata-yes = yes
mydata-no = no
mydata-status-left = ended
mydata-end-moved = moved to another cell
mydata-end-left-area = left the area
mydata-end-retired = retired from work
mydata-end-transferred = party membership transferred elsewhere
mydata-end-forgotten = left the system (erasure asked)
mydata-answer-accepted = accepted
mydata-answer-responded = responded
mydata-answer-attend = will attend
mydata-answer-decline = cannot attend
forget-ask =
    Erase your personal data?
    Erased: your phone number, Telegram name and username, what you were typing in a dialogue, the mark that the bot could not reach you, your join request and reports still waiting for a decision (withdrawn), the photos of your reports, the reasons you gave for not attending meetings, comment sheets not yet signed, and messages not yet sent to you. Your membership of the cell ends and the cell committee is told that you left the system.
    Kept, because the cell must keep them: signed comment sheets and the reports they cite, the decisions already taken on your reports and memberships, attendance at meetings held, and the audit log.
    This cannot be undone.
forget-button-confirm = 🗑 Erase my data
forget-button-cancel = Cancel
forget-cancelled = Nothing was erased.
forget-confirmed = Erasure confirmed.
forget-done = Your personal data has been erased: phone number, Telegram name and username, dialogue state and drafts, the photos of your reports, the reasons you gave for not attending meetings, the unreachable mark and messages not yet sent to you.
forget-nothing-left = There is nothing more to erase: your data was already erased.
forget-done-ended = Your membership of the cell has ended; the committee that decides your items has been told that you left the system.
forget-done-ended-untold = Your membership of the cell has ended. There is nobody on the committee to tell at present.
forget-done-join-withdrawn = Your join request was withdrawn; the committee that decides your items has been told.
forget-done-join-withdrawn-untold = Your join request was withdrawn.
forget-done-reports-withdrawn = { $count ->
    [one] 1 report waiting for a decision was withdrawn.
   *[other] { $count } reports waiting for a decision were withdrawn.
}
forget-kept = Kept, and why:
forget-kept-sheets = • { $count } signed comment { $count ->
        [one] sheet
       *[other] sheets
    } and the decisions they cite: a signed record the cell and your workplace must keep (its verification code must keep working).
forget-kept-reports = • { $count } { $count ->
        [one] report
       *[other] reports
    } already decided (without their photos): the cell's decisions, recorded in the audit log, and the evidence of the years they count for.
forget-kept-memberships = • { $count } { $count ->
        [one] membership
       *[other] memberships
    } (with your full name, status and dates, without the phone number): the cell's record of who was its member and when.
forget-kept-meetings = • { $count } meeting { $count ->
        [one] invitation
       *[other] invitations
    } and attendance (without your reasons for not attending): the cell's record of its meetings.
forget-kept-roles = • { $count } { $count ->
        [one] role
       *[other] roles
    } (secretary, deputy, officer or supervisor): an office, taken away by the operator (ask them).
forget-kept-audit = • The audit log: every decision, hash-chained; it cannot be changed without breaking the chain.
forget-after = /mydata shows what is still stored. If you write to the bot again, only your Telegram id and language are recorded.
forget-secretary-left = { $name } has left the system at their request: their membership of { $cell } has ended and their personal data was erased (signed records are kept).
forget-secretary-withdrawn = { $name } withdrew their request to join { $cell } and asked for their personal data to be erased.
forget-secretary-reports = { $count ->
    [one] 1 of their reports waiting for a decision was withdrawn.
   *[other] { $count } of their reports waiting for a decision were withdrawn.
}
forget-join-card =
    Request to join { $cell }
    🗑 The member has since erased their personal data (/forgetme): this card no longer shows their details.
forget-report-card =
    Report no. { $id }
    🗑 Withdrawn: the member erased their personal data (/forgetme). This card no longer shows the report.
forget-photos-caption =
    Evidence for report no. { $id }
    🗑 The member has erased their personal data (/forgetme): these photos are no longer stored by the bot.
forget-request-card =
    The party committee of { $workplace } asked the cell for a comment on a member.
    🗑 Cancelled: the member erased their personal data (/forgetme). This card no longer shows the request.

## The personal-data notice (issue 12), shown at join.
consent-notice =
    Personal data notice (version { $n })
    What is stored: your name, phone number (if you give it), workplace, the cell you belong to, your reports (kind, date, description, photos' Telegram ids), the decisions on them, comment sheets, meeting invitations and attendance.
    Why: the contact with your place of residence that Regulation 213-QĐ/TW asks of working party members, and the cell's yearly comment sent to your workplace.
    Who sees it: your cell's secretary and deputy secretary; your workplace's officers (your reports' counts, silent months and your signed sheet); the ward's supervisors and administrators (figures of the ward's cells, and a list of its members: name, cell, workplace, exemption and the state of each comment sheet).
    How long: while you are a member, then as long as the cell must keep its records (signed sheets and the decisions they cite); sent messages are deleted after { $days ->
        [one] 1 day
       *[other] { $shown } days
    }.
    You can see everything stored about you with /mydata and ask for what is not needed to be erased with /forgetme.
consent-button-agree = ✅ Agree
consent-button-refuse = Do not agree
consent-agreed = Thank you: your agreement is recorded.
consent-refused = Nothing was stored. Without your agreement you cannot join: open the link again when you are ready to agree.
consent-refused-new = Your answer is recorded. /mydata shows what is stored about you and /forgetme erases what is not needed.
consent-refused-after-agreeing = You have already agreed to this notice, so your agreement stands and nothing was changed. To withdraw it, /forgetme erases your personal data; /mydata shows what is stored.
consent-new-version = The personal data notice has changed. Please read it:
mydata-field-consent = Personal data notice, version { $n }
mydata-consent-agreed = agreed on { $when }
mydata-consent-refused = not agreed ({ $when })
mydata-consent-withdrawn = agreed on { $when }, withdrawn by erasing the data on { $withdrawn }
mydata-consent-shown = shown on { $when }, no answer
# ward administrators
ward-admin-confirmed = Confirmed: you are an administrator of { $ward } in the system and manage its residence cells.
ward-admin-help =
    As a ward administrator:
    /cells — the ward's cells: add a cell, rename, invite a secretary
    /cells import — add many cells from a file (XLSX or CSV)
    /stats — the ward's participation chart and figures
    /export — download the ward's summary table (XLSX)
ward-admin-menu-cells = The ward's cells
ward-admin-idle = You administer a ward's cells: use /cells to see them, add cells and invite secretaries. Other commands: /help.
ward-admins-only = This command is for the administrators of a ward's party committee.
ward-cells-usage = Send /cells to see the cells, or /cells import to add cells from a file.
ward-cells-choose = You administer several wards. Please choose one:
ward-cells-title = Cells of { $ward }: { $count }
ward-cells-none = { $ward } has no cell yet. Press "Add cell", or send /cells import to add them from a file.
ward-cells-line = { $n }. { $cell } — secretary: { $name }; deputy: { $who }; members: { $members }; pending: { $joins ->
        [one] 1 join request
       *[other] { $joins } join requests
    }, { $reports ->
        [one] 1 report
       *[other] { $reports } reports
    }
ward-cells-nobody = none
ward-cells-button-add = ➕ Add cell
ward-cells-button-import = 📥 Add from a file
ward-cells-button-open = ⚙ { $cell }
ward-cell-card =
    { $cell } ({ $ward })
    Secretary: { $name }
    Deputy: { $who }
    Members: { $members }; pending: { $joins ->
        [one] 1 join request
       *[other] { $joins } join requests
    }, { $reports ->
        [one] 1 report
       *[other] { $reports } reports
    }
ward-cell-button-invite = Invite secretary
ward-cell-button-rename = Rename
ward-cell-button-remove = 🗑 Remove
ward-cell-remove-ask = Remove { $cell }? Only a cell added by mistake can be removed: one without members, join requests, reports, meetings, secretary or deputy. Its invite links stop working. This cannot be undone.
ward-cell-button-remove-yes = 🗑 Remove the cell
ward-cell-button-remove-no = Keep
ward-cell-removed = { $cell } was removed.
ward-cell-remove-not-empty = { $cell } cannot be removed: it has members, join requests, reports, meetings, a secretary or a deputy. A cell with a history stays; rename it if its name is wrong.
ward-cell-ask-name = Please type the name of the new cell of { $ward } (2 to 120 characters), e.g. "Chi bộ khối 5". Send /cancel to stop.
ward-cell-ask-rename = Please type the new name of { $cell } (2 to 120 characters). Send /cancel to stop.
ward-cell-name-empty = Please type the cell's name in letters (2 to 120 characters), or send /cancel.
ward-cell-name-too-short = The cell's name is too short (at least 2 characters). Please type it again.
ward-cell-name-too-long = The cell's name is too long (at most 120 characters). Please type it again.
ward-cell-name-no-letter = A cell's name needs letters (for example: Chi bộ khối 5), not only digits or signs. Please type it again.
ward-cell-name-duplicate = { $ward } already has the cell "{ $cell }". Please type another name, or send /cancel.
ward-cell-added = { $cell } was added to { $ward }. Press "Invite secretary" to make the cell's secretary invite.
ward-cell-renamed = The cell "{ $name }" is now called "{ $cell }".
ward-cell-secretary-link =
    Secretary invite for { $cell } (single use):
    { $link }
    Valid until { $until }. Send this link to the cell's secretary; when they open it and type their name, they are recorded as secretary.
invite-earlier-code-revoked = The cell's earlier code of this kind, not yet used, has been revoked and no longer works.
invite-link-above = The code was just made: it is in the message above.
ward-cell-secretary-handover = { $cell } has a secretary: when this code is used, its user becomes secretary; the current secretary loses the secretary's rights and keeps their membership of the cell, if any.
ward-cells-import-ask = Please send the list of cells of { $ward } as a file (XLSX or CSV, at most 5 MB and 5,000 rows): column A, one cell name per row; the first row may be a column name ("Cell name"). Nothing is stored before you confirm. Send /cancel to stop.
ward-cells-import-header = Cells for { $ward }: { $count ->
        [one] 1 row read
       *[other] { $count } rows read
    }. Nothing is stored yet.
ward-cells-import-new = Cells to add: { $count }
ward-cells-import-line = row { $line }: { $name }
ward-cells-import-refused = Rows not added: { $count }
ward-cells-import-in-ward = row { $line }: { $name } — { $ward } already has this cell
ward-cells-import-repeat = row { $line }: { $name } — same as row { $first } of the file
ward-cells-import-empty-name = row { $line }: no cell name
ward-cells-import-short = row { $line }: the cell's name is too short (at least 2 characters)
ward-cells-import-long = row { $line }: the cell's name is too long (at most 120 characters)
ward-cells-import-no-letter = row { $line }: not a cell's name (only digits or signs, like a serial-number column)
ward-cells-import-more = … and { $count ->
        [one] 1 more row
       *[other] { $count } more rows
    }
ward-cells-import-footer = Press "Import" to add { $count ->
        [one] 1 cell
       *[other] { $count } cells
    }, or "Cancel".
ward-cells-import-nothing = There is no new cell to add; nothing is stored. You may send another file, or /cancel.
ward-cells-button-import-confirm = Import
ward-cells-button-import-cancel = Cancel
ward-cells-imported = { $count ->
    [one] 1 cell was added to { $ward }. Send /cells to see it and invite its secretary.
   *[other] { $count } cells were added to { $ward }. Send /cells to see them and invite their secretaries.
}
ward-cells-imported-skipped = { $count ->
        [one] 1 cell the ward has had since the preview was not added
       *[other] { $count } cells the ward has had since the preview were not added
    }: { $names }
ward-cells-import-done-before = This list was imported already.
ward-cells-import-gone = This list was cancelled, or replaced by a file sent after it: no cell was added from it.
ward-cells-import-cancelled = Cancelled: no cell was added.
ward-no-cells-notice = { $name } ({ $workplace }) was introduced for residence party life and chose { $ward }, but { $ward } has no cell in the system yet. Please add its cells with /cells.
mydata-role-ward-admin = Ward administrator
ward-cells-col-secretary = Secretary
ward-cells-col-deputy = Deputy
ward-cells-col-members = Members
ward-cells-col-joins = Pending join requests
ward-cells-col-reports = Pending reports

# The workplace officers' monthly digest
officer-digest-header = Digest for { $month } for the workplace party committee
officer-digest-workplace = { $workplace } — { $members ->
        [one] 1 member
       *[other] { $shown } members
    } registered with a residence cell
officer-digest-unregistered = • Introduced more than { $days } days ago but not registered with a residence cell ({ $count }): { $names }
officer-digest-unregistered-name = { $name } (introduced on { $date })
officer-digest-silent = • No activity in person at their residence for three months or more in a row ({ $count }): { $names }
officer-digest-unsigned = • Comment sheet of { $year } not yet signed by the residence cell ({ $count }): { $names }
officer-digest-overdue = • Comment requests past their due day, not yet signed by the residence cell ({ $count }):
officer-digest-overdue-item =   – { $name } ({ $reason }; { $cell }), due { $due }
officer-digest-nothing = • Nothing to point out for { $month }.

## Comments on request
request-menu-request = Ask a residence cell for a comment on a member
request-menu-requests = Comments requested and their state
request-help = /request full name — ask a member's residence cell for a comment when needed (appointment, commendation, discipline, transfer); /requests — the requests sent and their state
request-usage = Usage: /request full name (part of the member's name, with or without accents), for example /request Nguyễn Văn An.
request-none-found = No member named “{ $name }” in the workplaces you follow. Please check the name.
request-none-askable = No member named “{ $name }” whom a residence cell can comment on in the workplaces you follow:
request-not-askable-unregistered = • { $name }: on the roster of { $workplace } but not registered with a residence cell yet, so no cell can comment on them. You can introduce them from /status.
request-not-askable-link-sent = • { $name }: on the roster of { $workplace } but not registered with a residence cell yet. An introduction link was sent on { $date } and is waiting for them to open it (valid until { $until }). Send it again from /status only if it was lost.
request-not-askable-link-opened = • { $name }: on the roster of { $workplace } but not registered with a residence cell yet. The introduction link sent on { $date } was opened on { $when }; they have not asked to join a residence cell yet (the link is valid until { $until }). There is no need to introduce them again: a cell can be asked once they send the join request and the cell accepts them.
request-not-askable-link-expired = • { $name }: on the roster of { $workplace } but not registered with a residence cell yet. The introduction link sent on { $date } expired on { $until } without being opened. You can introduce them again from /status.
request-not-askable-link-opened-expired = • { $name }: on the roster of { $workplace } but not registered with a residence cell yet. The introduction link sent on { $date } was opened on { $when }, but it expired on { $until } without a request to join a residence cell. You can introduce them again from /status.
request-not-askable-elsewhere = • { $name }: a member of { $cell } who declared another workplace. Please ask them to correct their workplace in /profile, then ask for the comment again.
request-not-askable-waiting = • { $name }: their request to join { $cell } is waiting for the cell's confirmation. A comment can be asked for once the cell accepts them.
request-not-askable-ended = • { $name }: left { $cell } on { $date } and is a member of no residence cell in the bot now, so no cell can comment on them. If a comment is needed, please contact the ward party committee where they live.
request-too-many = { $count } members have a name containing “{ $name }”. Please type more of the name.
request-ask-member = { $count } members match. Please choose the member to be commented on:
request-ask-reason = Comment on { $name } ({ $cell }). Please choose the reason:
request-exempt-note = Note: the member is exempt from residence meetings ({ $reason }); the cell writes the short comment sheet.
request-reason-appointment = appointment
request-reason-commendation = commendation
request-reason-discipline = discipline
request-reason-transfer = transfer
request-reason-other = other reason
request-button-other = Other reason…
request-button-cancel = ✖️ Cancel
request-button-send = 📨 Send request
request-button-last-year = Last 12 months ({ $from } - { $to })
request-button-draft = 📝 Draft comment
request-ask-reason-text = Please type the reason (1 to { $max } characters).
request-reason-length = The reason must have 1 to { $max } characters.
request-ask-due = Please type the day the comment is needed by (dd/mm/yyyy), from { $earliest } to { $latest }.
request-due-too-soon = The day the comment is needed by must be after today, { $earliest } at the earliest.
request-due-too-late = The day the comment is needed by must be within 180 days from today, { $latest } at the latest.
request-ask-period = Over which period? Press the button for the last 12 months, or type the period as dd/mm/yyyy - dd/mm/yyyy.
request-period-format = That is not a period. Please type two dates as dd/mm/yyyy - dd/mm/yyyy, for example 01/01/2026 - 31/12/2026.
request-period-reversed = The first day must be on or before the last day.
request-period-future = The period must end today at the latest.
request-period-too-long = The period cannot be longer than { $years } years.
request-expect-button = Please press one of the buttons below (or /cancel to stop).
request-summary =
    Request for a comment on a member:
    Member: { $name } ({ $cell })
    Reason: { $reason }
    Period: { $from } to { $to }
    Comment needed by: { $due }
request-discarded = The request was dropped.
request-sent = The request was sent to the member's residence cell. See its state with /requests.
request-sent-nobody = The request is saved, but the member's cell has no secretary or deputy in the bot to receive it yet. Please contact the ward party committee.
request-already-sent = This request was already sent.
request-already-open = This request was not sent: { $who } of your workplace already asked on { $date } for a comment on { $name } ({ $reason }, covering { $from } to { $to }, due { $due }), and the cell has not signed it yet. The cell writes one comment for that period; see it with /requests.
request-member-gone = This member's residence membership has changed (moved cell, ended, changed workplace or erased their data), so the request was not sent. Please use /request again.
request-to-secretary =
    The party committee of { $workplace } asks the cell for a comment on a member:
    Member: { $name } ({ $cell })
    Reason: { $reason }
    Period: { $from } to { $to }
    Comment needed by: { $due }
    The sheet is drafted from the activities approved in this period.
request-secretary-unreachable = The request for a comment on { $name } could not be delivered to the residence cell's secretary through the bot. Please contact the cell another way.
request-closed = This request was already signed or cancelled.
request-gone = This request for a comment is no longer in the system (sent after the backup the bot was restored from): there is nothing to write. The workplace can send it again.
request-cancelled-left-cell = This request was cancelled because the member is no longer a member of the cell (the membership ended, or they erased their data): the cell writes no comment on it.
request-cancelled-member-left = { $cell } ended the membership of { $name }, so your workplace's request for a comment on them ({ $reason }) was cancelled. If a comment is still needed, please contact the ward party committee where they live.
request-cancelled-member-gone = { $name } has stopped using the bot and is no longer a member of a residence cell in it, so your workplace's request for a comment on them ({ $reason }) was cancelled. If a comment is still needed, please contact the ward party committee where they live.
request-reason-shortened = (shortened; the whole reason is in the bot's message bringing the request)
request-sheet-header =
    Comment on request ({ $reason }): { $name }
    Period: { $from } to { $to }; needed by { $due }
    Cell: { $cell }
    Workplace: { $workplace }
    State: { $state }
request-for-member = Draft comment requested by your workplace ({ $reason }), covering { $from } to { $to }, from { $cell }. { $due }
request-told-accepted = { $name } accepted the draft comment on request ({ $reason }). You can sign it.
request-told-responded = { $name } responded to the draft comment on request ({ $reason }): { $response }
request-delivered-officer = Comment on request ({ $reason }) on { $name }, covering { $from } to { $to }, from { $cell } ({ $ward }), signed by { $signer } ({ $role }). Verification code: { $code } (check with /verify).
request-delivery-failed = The comment on request ({ $reason }) on { $name } (verification code { $code }) could not be delivered to the officer who asked for it through the bot. Please send the sheet to the member's workplace committee another way.
request-delivery-rerouted = The comment on request ({ $reason }) on { $name } (verification code { $code }) could not be delivered to the officer who asked for it through the bot (they are no longer an officer of the workplace, or have blocked the bot); it was sent to { $officers ->
        [one] another officer
       *[other] { $officers } other officers
    } of the workplace instead.
request-copy-member = A copy of the comment on request ({ $reason }) sent to your workplace. Verification code: { $code }.
request-verify-ok = Valid and unchanged: comment on request ({ $reason }) on { $name } ({ $cell }), covering { $from } to { $to }, signed by { $signer } ({ $role }) at { $when }.
request-doc-subtitle = On a working party member, requested by the workplace committee ({ $reason }), covering { $from } to { $to }
request-doc-opening = The committee of { $cell }, after consulting the residential area's Front work committee, agrees on the following comment on { $name } for { $from } to { $to }:
request-cell-list-none = No workplace is waiting for a comment from your cell.
request-cell-list-header = Comment requests from workplaces to your cell ({ $count }, earliest due first):
request-cell-list-more = … and { $count } more, shown once those above are dealt with.
request-cell-list-line = { $n }. { $name } ({ $cell }) — { $workplace }: { $reason } — due { $due }
request-button-draft-n = 📝 Draft { $n }. { $name }
request-menu-requests-cell = Comments workplaces asked of the cell
request-list-none = No comment has been requested for the workplaces you follow yet.
request-list-header = Comments requested ({ $count }, those still open first, then newest first):
request-list-older = … Only { $count } requests are shown: older finished ones are left out.
request-list-line = { $n }. { $name } ({ $cell }) — { $reason } — due { $due } — { $state }
request-state-waiting = waiting for the cell
request-state-drafting = being drafted
request-state-with-member = sent to the member
request-state-signed = signed on { $date }
request-state-overdue = ⚠️ overdue
request-state-cancelled = cancelled
request-state-withdrawn = withdrawn on { $date }
request-button-withdraw = ↩️ Withdraw request { $n }. { $name }
request-button-documents = 📄 Documents { $n }. { $name }
request-button-withdraw-yes = ↩️ Withdraw
request-button-withdraw-no = Keep
request-withdraw-ask =
    Withdraw the request for a comment on { $name } ({ $cell }; { $reason }, due { $due })?
    The residence cell will be told; a sheet being drafted (if any) can then no longer be edited, sent or signed.
request-withdrawn-done = The request for a comment on { $name } ({ $reason }) was withdrawn. The residence cell was told.
request-withdrawn-done-untold = The request for a comment on { $name } ({ $reason }) was withdrawn.
request-withdraw-already = This request was already withdrawn.
request-withdraw-signed = It cannot be withdrawn: the comment on this request was already signed and sent to the workplace.
request-withdraw-gone = This request no longer exists.
request-withdrawn-to-cell = The workplace { $workplace } withdrew its request for a comment on { $name } ({ $cell }; { $reason }, due { $due }). The cell need not draft it any more; a sheet being drafted (if any) can no longer be edited, sent or signed.
request-withdrawn-to-member = Your workplace ({ $workplace }) withdrew its request for a comment ({ $reason }). The draft comment sent to you no longer stands; you need not answer it.
request-withdrawn-sheet = The workplace withdrew this request; its comment can no longer be edited, sent, answered or signed.
request-moved-away = This member has moved to { $cell }; the request went with them, and { $cell } now writes the comment.
request-digest-overdue = • Comments on request past their due day, not signed ({ $count }):
request-digest-item =   – { $name } ({ $reason }, { $workplace }), due { $due }
group-private-only = This bot works only in a private chat with each person (reports, joining a cell, decisions and comments are each person's own). Please open https://t.me/{ $bot } to use it. The bot is leaving this group.
group-press-private-only = The bot's buttons work only in your private chat with it: nothing was done here. Please open https://t.me/{ $bot } and use the message there.
announce-choose-cell = You are the secretary of several cells; please choose the cell the announcement goes to:
announce-all-cells = All my cells
announce-cells-chosen = The announcement goes to: { $cells }.
ward-cell-gone = This cell has been removed from the ward's list; this can no longer be done. Send /cells to see the list as it is now.
officer-role-gone = You are no longer an officer following the members of { $workplace }: this button is no longer yours to use.
ward-admin-role-gone = You are no longer an administrator of { $ward }: this button is no longer yours to use.
supervisor-role-gone = You are no longer a supervisor of { $ward }: this button is no longer yours to use.

# Told once when a draft comment sheet's time for the member's answer has passed with no answer.
sheet-silence-told = ⏳ The time for the member to answer the draft comment sheet has passed with no answer (counted as seen). The comment sheets of these members can now be signed ({ $count }): { $names }. Please sign them with /sheets.
sheet-silence-more = … and { $count } more
sheet-silence-on-request = { $name } (comment on request)
sheet-silence-in-cell = { $name } – { $cell }
