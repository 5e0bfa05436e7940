# Interface strings of hearth's default theme, in English.
# A project can override any of them in its own locales/en.ftl.

language-name = English
enter-site = Enter the English site
skip-to-content = Skip to content
home = Home
language-nav-label = Language
footer-nav-label = More pages
translation-missing = Not yet available in { $language }
only-in = only in { $language }
module-not-translated = Not yet available in { $language }. This link opens the { $source } version.

crisis-heading = Need help now?
crisis-box-title = If you or your child are not safe
crisis-box-text = This session talks about hard topics. If you are worried about someone's safety, reach out now. You do not have to wait.
crisis-box-emergency = In an emergency, call 911.

minutes = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
session-number = Session { $n }
week-number = Week { $n }
sessions-count = { $n ->
    [one] 1 session
   *[other] { $n } sessions
}

objectives-heading = In this session, you will
handouts-heading = Handouts
module-tools-label = Related pages
print-packet = Print this session with its handouts
facilitator-guide = Facilitator guide
participant-page = Participant page
facilitator-binder = Facilitator binder (all sessions)
sessions-nav-label = Other sessions
previous-session = Previous:
next-session = Next:
back-to-session = Back to “{ $title }”

for-facilitators = For facilitators
facilitator-guide-title = Facilitator guide: { $title }
agenda-heading = Agenda
agenda-start = Start
agenda-activity = Activity
agenda-minutes = Minutes
agenda-total = Total
materials-heading = Materials
preparation-heading = Before the session
session-plan-heading = Session plan
participant-text-heading = What participants read, with notes
session-plan-continued-heading = Session plan, continued
guide-missing = The facilitator notes for this session are not yet available in { $language }.
safety-reminder-title = Safety reminder:
safety-reminder-text = This session touches on topics such as { $topics }. Have the crisis lines ready, remind the group of them, and know your organization's safety plan before you start.

topic-suicide = suicide
topic-self-harm = self-harm
topic-grief = grief
topic-abuse = abuse
topic-substance-use = substance use
topic-eating-disorders = eating disorders

sessions-heading = Sessions
programs-heading = Programs
program = Program
program-binder = Print the facilitator binder for this program
print-heading = Print
all-handouts = All handouts
all-handouts-title = All handouts
binder-title = Facilitator binder
program-binder-title = Facilitator binder: { $title }
session-packet = Session packet
pdf-download = Download this as a PDF
print-hint = This page is made for printing. Use your browser's Print command; each handout starts on a new page.
contents-heading = Contents

block-facilitator = Facilitator note
block-say = Say
block-adapt = Adapt
block-activity = Activity
block-discussion = Let's talk
block-practice = Practice this week
block-tip = Tip
block-note = Note
block-warning = Take care
block-lines = Your notes
format-in-person = In person
format-virtual = Online groups
write-here = Write your answer here

# After a link to a session that this partner's program leaves out.
not-in-program = (not part of this program)
# A link that opens a text message to a crisis line.
sms = Text { $number }
sms-with-body = Text { $body } to { $number }

handout-worksheet = Worksheet
handout-tip-sheet = Tip sheet
handout-reflection = Reflection
handout-reference = Reference

not-found = Page not found
not-found-text = We could not find that page. It may have moved.
go-home = Go to the home page

# The search box in the page header.
search-label = Search
search-placeholder = Search the sessions
search-results = { $count ->
    [one] 1 result
   *[other] { $count } results
}
search-none = No results.
search-see-sessions = See all the sessions
search-handout = Handout
search-loading = Loading search…
bundle-start-file = START-HERE-English.html
bundle-start-link = Open { $site }
bundle-readme-file = README-English.txt
bundle-readme = { $site }

    This folder is a whole website that works without the internet.
    To open it, double-click the file { $start }.
    It opens in your web browser. Nothing is sent anywhere.

    You can copy this folder to a USB stick or a computer and open it there the same way.
