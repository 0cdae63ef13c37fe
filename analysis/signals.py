"""What happens to an analysis, for the apps above this one that react to it (e-mail in
`notifications`). Each is sent by the service that makes the change, inside its transaction:
a receiver that records something (a message in the outbox) commits or rolls back with the
change itself, so no message goes out for a change that did not happen, and none is lost
for one that did.

Arguments:
- analysis_submitted, analysis_sent_back, analysis_approved: analysis, by, message
- comment_added: comment (a ReviewComment: a comment, or a reply when comment.parent is set)
- section_assigned: analysis, section, assignee (the user newly named), by, due_date (or None)
- round_opened: round
"""

from django.dispatch import Signal

analysis_submitted = Signal()
analysis_sent_back = Signal()
analysis_approved = Signal()
comment_added = Signal()
section_assigned = Signal()
round_opened = Signal()
