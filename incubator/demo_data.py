"""The Incubator demo data set, written for Incubator; free to use under the project's licence."""

from __future__ import annotations

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    (
        "service-desk",
        "Service desk",
        "How IT support is reached, how tickets are handled and how quickly problems get fixed.",
    ),
    (
        "laptops",
        "Laptops and hardware",
        ("Work laptops, docking stations, monitors and other kit, and how it is issued and "
         "replaced."),
    ),
    (
        "onboarding",
        "Onboarding and leavers",
        "Getting new starters set up on day one and tidying up access when people move or leave.",
    ),
    (
        "wifi",
        "Wi-Fi and network",
        "Wireless coverage, guest access, the VPN and network speed around the offices.",
    ),
    (
        "printing",
        "Printing and scanning",
        "Printers, scanners, toner, print queues and anything else that involves paper.",
    ),
    (
        "software-requests",
        "Software requests",
        "Asking for, approving and installing software, licences and browser extensions.",
    ),
    (
        "security",
        "Security",
        ("Sign-in checks, phishing, device rules and keeping company data safe without slowing "
         "people down."),
    ),
    (
        "meeting-rooms",
        "Meeting rooms",
        "Booking rooms, screens, video-call equipment and sound in meeting spaces.",
    ),
    (
        "accounts-and-passwords",
        "Accounts and passwords",
        "Signing in, password rules, lockouts, shared mailboxes and access permissions.",
    ),
    (
        "intranet",
        "Intranet",
        "The staff intranet: finding information, news, search, forms and the people directory.",
    ),
)

MEMBERS: tuple[str, ...] = (
    "Amara Okafor",
    "Liam Brennan",
    "Priya Raman",
    "Tomasz Kowalczyk",
    "Meilin Zhou",
    "Daniel Asante",
    "Sofia Marquez",
    "Hiroshi Tanabe",
    "Fatima El-Sayed",
    "Jonah Whitfield",
    "Ingrid Solberg",
    "Kwame Boateng",
    "Chloe Durand",
    "Rahul Mehta",
    "Aisha Bello",
    "Marco Bianchi",
    "Elena Petrova",
    "Samuel Osei",
    "Hannah Lindqvist",
    "Diego Alvarez",
    "Yuki Nakamura",
    "Grace Mwangi",
    "Oliver Thornbury",
    "Leila Haddad",
    "Ravi Subramanian",
    "Niamh Gallagher",
    "Mateus Carvalho",
    "Zainab Yusuf",
    "Erik Johansson",
    "Ana Ribeiro",
    "Tariq Qureshi",
    "Freya Holloway",
    "Kenji Mori",
    "Lucia Fernandez",
    "Bogdan Ionescu",
    "Nadia Rahman",
    "Patrick Delaney",
    "Ama Mensah",
    "Jakob Weber",
    "Isabel Cortez",
    "Arjun Nair",
    "Sinead Moran",
    "Femi Adeyemi",
    "Claire Beaumont",
    "Wei Tan",
    "Hamid Karimi",
    "Rosa Delgado",
    "Tobias Richter",
    "Nomvula Dlamini",
    "Ethan Caldwell",
    "Soo-jin Park",
    "Omar Siddiqui",
    "Beatriz Lopes",
    "Gareth Pryce",
    "Anjali Kapoor",
    "Mikael Virtanen",
    "Esther Nwosu",
    "Luca Romano",
    "Dana Kowalski",
    "Vikram Joshi",
    "Maeve Connolly",
    "Jamal Henderson",
    "Katarzyna Nowak",
    "Felipe Santos",
)

IDEAS: tuple[tuple[str, str, str], ...] = (
    (
        "security",
        "Add a 'report phishing' button to email",
        ("Forwarding suspicious emails to the security mailbox is clunky. A button in the mail "
         "app would make it one click."),
    ),
    (
        "meeting-rooms",
        "Show room capacity and equipment when booking",
        ("I booked a room for eight and it had four chairs and no screen. Capacity and kit "
         "should be shown on the booking page."),
    ),
    (
        "intranet",
        "Subscribe to intranet news by topic",
        ("I only want news from my department and from IT. Everything else fills up my feed and "
         "I end up ignoring all of it."),
    ),
    (
        "laptops",
        "Standardise the monitor setup on hot desks",
        ("Some desks have two screens, some have one, some have the wrong cable. A standard "
         "setup would make hot-desking so much less painful."),
    ),
    (
        "service-desk",
        "Automatic email when my support request is assigned",
        ("Right now the only way to know if a ticket is moving is to phone the desk. A short "
         "automatic email when it's assigned and another when it's resolved would be plenty."),
    ),
    (
        "intranet",
        "The intranet is full of dead links",
        ("Clicked through three links on the IT page and two were broken. A regular link check "
         "would help."),
    ),
    (
        "laptops",
        "Monitors flicker when connected through the dock",
        ("Both external screens go black for a second every few minutes. It happens to my whole "
         "team, and only when we're docked."),
    ),
    (
        "intranet",
        "Add photos and roles to the staff directory",
        ("With so many new people it would really help to see faces, job titles and which team "
         "everyone is in."),
    ),
    (
        "software-requests",
        "List who owns each business application",
        ("When I have a question about the sales system I don't know whether to ask IT, the "
         "supplier or someone in sales. A list of app owners would help."),
    ),
    (
        "printing",
        "Printer on 3rd floor always jammed",
        "Every time I go to collect something it's flashing 'paper jam'. Nobody seems to own it.",
    ),
    (
        "software-requests",
        "Speed up approval for common apps",
        ("Common tools that many teams already use should be pre-approved, so nobody has to wait "
         "for a committee to sign them off again."),
    ),
    (
        "wifi",
        "Make guest network access easier for visitors",
        ("Our clients come in for workshops and spend the first 15 minutes trying to get online. "
         "A simple self-registration page would be much nicer."),
    ),
    (
        "onboarding",
        "Role-based access packs for new joiners",
        ("Each team could have a standard set of groups and apps, so a new marketing person gets "
         "the marketing pack without ten separate requests."),
    ),
    (
        "wifi",
        "The VPN is very slow in the mornings",
        "Between 8:30 and 10 it's almost unusable from home. Could the capacity be increased?",
    ),
    (
        "software-requests",
        "Audit paid licences every quarter",
        ("I'm sure we have dozens of expensive design licences sitting unused. A quarterly check "
         "could save real money."),
    ),
    (
        "printing",
        "Show each team its monthly printing costs",
        "If teams could see what they spend on printing, I suspect people would print a lot less.",
    ),
    (
        "laptops",
        "Let staff buy their old laptop when it's replaced",
        ("Offer retired laptops to staff for a small fee instead of scrapping them. Good for the "
         "environment too."),
    ),
    (
        "accounts-and-passwords",
        "Add a 'forgot password' link to the sign-in page",
        "There's no 'forgot password' option anywhere. Please add one.",
    ),
    (
        "intranet",
        "intranet search is useless",
        "quicker to ask in the team chat than to search the intranet. that says it all",
    ),
    (
        "software-requests",
        "A simple way to request browser extensions",
        ("There's no option on the request form for browser extensions, so I never know if I'm "
         "allowed to ask."),
    ),
    (
        "service-desk",
        "Extend helpdesk hours into the evening",
        ("Could the helpdesk run a later shift, even with just one person on it? Our team works "
         "with customers in other time zones and we often need help after hours."),
    ),
    (
        "laptops",
        "The webcam on the older laptops is awful",
        ("The built-in camera is so grainy people ask if I'm calling from a cave. External "
         "webcams for people who are on calls all day?"),
    ),
    (
        "printing",
        "printers always out of toner",
        ("Went to print a report for a board meeting and both printers on my floor were out of "
         "toner. Again. Surely this can be tracked."),
    ),
    (
        "intranet",
        "Bring back the canteen menu on the homepage",
        ("It used to be on the front page and now it's four clicks deep. Small thing, but "
         "everyone looks at it."),
    ),
    (
        "wifi",
        "Daily guest wifi code is a pain for visitors",
        ("Every morning reception has to print a new code, and by 10am they've been asked for it "
         "twenty times."),
    ),
    (
        "printing",
        "Default to double-sided black and white",
        ("Most people never change the print settings. Making double-sided mono the default "
         "would save a lot of paper and colour toner."),
    ),
    (
        "security",
        "Security training with real-life examples",
        ("Show us genuine phishing emails that actually reached the company last month, with the "
         "warning signs highlighted."),
    ),
    (
        "wifi",
        "More wireless access points, please",
        ("The building has filled up but the number of access points hasn't changed. Several "
         "corners barely get one bar."),
    ),
    (
        "printing",
        "Fewer, better printers",
        ("Do we really need a printer on every corridor? Fewer, more reliable machines would cut "
         "costs and paper use."),
    ),
    (
        "onboarding",
        "Access to shared folders takes weeks for new people",
        ("Our new analyst waited three weeks for access to the team folders. Could each team's "
         "standard access be granted automatically?"),
    ),
    (
        "accounts-and-passwords",
        "Password expiry every 60 days is annoying",
        ("Every two months I have to invent a new password and then get locked out of email on "
         "my phone. Current guidance says forced expiry doesn't even help."),
    ),
    (
        "laptops",
        "Replace the old docks on the 2nd floor",
        ("The docks on floor two are the old model and don't play well with the new laptops. "
         "Screens flicker and charging randomly stops."),
    ),
    (
        "printing",
        "Fix or replace the copier by the 3rd floor kitchen",
        "It eats paper, prints streaks and jams whenever you try labels. I think it's past repair.",
    ),
    (
        "onboarding",
        "Starter pack listing all the tools and links",
        ("New people spend ages asking which system is which. A simple list of our tools and "
         "what each one is for would help a lot."),
    ),
    (
        "service-desk",
        "Support through the team chat app",
        ("Most of us live in the chat app all day. Could the service desk have a channel or a "
         "bot we can message instead of sending emails?"),
    ),
    (
        "accounts-and-passwords",
        "one login for everything",
        ("why is the timesheet system a separate account?? please put it behind the normal "
         "company sign in"),
    ),
    (
        "security",
        "Provide company-issued encrypted USB sticks",
        ("If personal USB drives are banned, could we get encrypted company ones for the rare "
         "cases when we really need them?"),
    ),
    (
        "service-desk",
        "IT drop-in sessions on each floor",
        ("A weekly drop-in hour on each floor where we can bring small problems would clear a "
         "lot of tiny tickets in one go."),
    ),
    (
        "meeting-rooms",
        "Meeting room video kit is too complicated",
        ("Three remotes, two inputs, and a laptop that has to be plugged in a certain way. "
         "Nobody knows how it works."),
    ),
    (
        "intranet",
        "Let intranet search look inside documents",
        ("Search only matches page titles. It should also look inside the PDFs and documents "
         "attached to each page."),
    ),
    (
        "accounts-and-passwords",
        "Reset my password without calling IT",
        "Other companies let you reset it with a link and your phone. Why do we need a phone call?",
    ),
    (
        "security",
        "Clear rules for work email on personal phones",
        ("Nobody seems to know if we're allowed to read work email on our own phones, and what "
         "happens to the phone if we do. A short, plain explanation please."),
    ),
    (
        "printing",
        "Printer names make no sense",
        "PRN-B2-0047 tells me nothing. Name them by floor and location, like '3rd floor kitchen'.",
    ),
    (
        "wifi",
        "Wi-Fi drops in the canteen",
        ("People take calls over lunch and the connection cuts out as soon as you sit at the "
         "tables at the back."),
    ),
    (
        "meeting-rooms",
        "Better microphones in the large meeting rooms",
        ("In the boardroom the people dialling in can barely hear us. Ceiling microphones or a "
         "second speakerphone would help."),
    ),
    (
        "onboarding",
        "Returning equipment when people leave is chaotic",
        ("Leavers are never told where to drop off their laptop and badge, so things end up "
         "sitting in desk drawers for months."),
    ),
    (
        "security",
        "Easier way to report suspicious emails",
        ("I never remember the address for reporting phishing. Something built into the mail "
         "app, please."),
    ),
    (
        "service-desk",
        "Let me see where my ticket is in the queue",
        ("A simple 'you are number 12 in the queue' or 'assigned to a technician' on the portal "
         "would save a lot of follow-up phone calls."),
    ),
    (
        "software-requests",
        "The software centre needs more apps",
        ("The software centre exists but only has about ten apps in it. Could the rest of the "
         "approved list be added?"),
    ),
    (
        "security",
        "Make the annual security training shorter",
        ("Ninety minutes of slides once a year. Short five-minute modules spread over the year "
         "would stick much better."),
    ),
    (
        "intranet",
        "Make the intranet work on phones",
        ("Staff in the warehouse don't have laptops, and the intranet is almost unusable on a "
         "phone."),
    ),
    (
        "accounts-and-passwords",
        "Name changes take months to update",
        ("I got married in June and my email address still shows my old surname. Changing a name "
         "shouldn't take this long."),
    ),
    (
        "onboarding",
        "Have laptops ready before someone's first day",
        ("HR knows the start date weeks ahead. Could that trigger the laptop order automatically "
         "so it's ready in time?"),
    ),
    (
        "wifi",
        "Separate Wi-Fi for personal phones",
        ("Lots of people connect their personal phones to the main network. A separate network "
         "for personal devices seems safer and would free up capacity."),
    ),
    (
        "intranet",
        "Better people search on the intranet",
        ("I want to find 'who handles supplier contracts', not just search by surname. Listing "
         "responsibilities in profiles would help."),
    ),
    (
        "wifi",
        "Guest Wi-Fi password changes too often",
        ("It changes every day and visitors always end up asking us for it. Could it change "
         "weekly instead?"),
    ),
    (
        "laptops",
        "more monitors on the 4th floor pls",
        ("4th floor desks only have one monitor each and people have started borrowing the ones "
         "from the meeting rooms."),
    ),
    (
        "service-desk",
        "Evening cover for urgent IT problems",
        ("Even a basic on-call number for urgent issues between 5 and 8pm would make a big "
         "difference for the shift teams in operations."),
    ),
    (
        "laptops",
        "My laptop takes 10 minutes to boot",
        ("Five-year-old laptop, ten minutes to start and the fan is on constantly. When is the "
         "next refresh due?"),
    ),
    (
        "wifi",
        "Make the VPN reconnect automatically",
        ("When the VPN drops it just sits there disconnected until I notice that something isn't "
         "loading. Automatic reconnection would be great."),
    ),
    (
        "printing",
        "Self-service printer install from the software portal",
        "Let us add printers ourselves from the software portal, the same way we install apps.",
    ),
    (
        "meeting-rooms",
        "A digital whiteboard in the large meeting room",
        ("Whiteboard notes get photographed and lost. A digital board that saves to a shared "
         "folder would be handy for workshops."),
    ),
    (
        "service-desk",
        "Make the post-ticket survey one question",
        ("The survey after every ticket has nine questions. A star rating and an optional "
         "comment would get far more responses."),
    ),
    (
        "security",
        "Monthly security drop-in",
        ("A monthly session where we can ask the security team questions without feeling silly "
         "would build a lot of trust."),
    ),
    (
        "laptops",
        "Dock and monitor compatibility is a mess",
        ("Different docks, different cables, different monitors. Could we pick one dock model "
         "that works with all current laptops and roll it out everywhere?"),
    ),
    (
        "accounts-and-passwords",
        "Shared mailbox access takes too long to set up",
        ("I was added to the team mailbox after nine days. Team owners should be able to add "
         "people themselves."),
    ),
    (
        "service-desk",
        "Tickets should keep the screenshots I attach",
        ("When I reply to a ticket by email the screenshot gets stripped, and then the "
         "technician asks me for it again."),
    ),
    (
        "security",
        "Screen lock timeout is too short",
        ("My screen locks after two minutes while I'm reading a document. Five minutes would "
         "still be safe."),
    ),
    (
        "laptops",
        "Privacy screens for people who work on trains",
        ("A few of us commute and work on the train with customer data on screen. Privacy "
         "filters would be cheap and sensible."),
    ),
    (
        "intranet",
        "Remove outdated pages from the intranet",
        ("Half the pages I find are years old and contradict each other. Every page should have "
         "an owner and a review date."),
    ),
    (
        "accounts-and-passwords",
        "Account lockout after 3 tries is too strict",
        ("Typos happen, especially on a phone keyboard. Five attempts, or a short timeout "
         "instead of a full lockout?"),
    ),
    (
        "onboarding",
        "Disable leavers' accounts on their last day",
        ("People who left months ago still have working accounts and some still get email. "
         "That's a security risk and it clutters everything."),
    ),
    (
        "meeting-rooms",
        "Release rooms when nobody turns up",
        ("Rooms are booked all day by recurring meetings that no longer happen. If nobody checks "
         "in within 15 minutes, the booking should be released."),
    ),
    (
        "laptops",
        "Dual screens on all shared desks",
        ("Please make two monitors standard on shared desks. Working off a small laptop screen "
         "all day is hard on the eyes."),
    ),
    (
        "accounts-and-passwords",
        "Longer password expiry period",
        "Could the rotation be once a year instead? I end up with Summer1, Summer2, Summer3...",
    ),
    (
        "software-requests",
        "Dictation software for staff who need it",
        ("Speech-to-text would help several of us with wrist strain or dyslexia. Can it be made "
         "available without a long approval process?"),
    ),
    (
        "security",
        "Authenticator prompts are driving me mad",
        ("Three prompts before 9:30 this morning. People are starting to approve them without "
         "reading, which feels worse for security, not better."),
    ),
    (
        "wifi",
        "guest wifi password??",
        "why does it change every single day? nobody can ever find the current one.",
    ),
    (
        "meeting-rooms",
        "Laptop chargers in every meeting room",
        ("Long workshops drain laptops. A couple of universal chargers in each room would stop "
         "the hunt for a power cable."),
    ),
    (
        "wifi",
        "VPN keeps kicking me off when working from home",
        ("Three disconnects during one call this morning. Is there a setting we can change, or "
         "is it the server?"),
    ),
    (
        "software-requests",
        "Temporary admin access on request",
        ("Something like 'admin for 30 minutes, logged and approved automatically' would keep "
         "security happy and unblock people."),
    ),
    (
        "meeting-rooms",
        "Let us book meeting rooms from the calendar",
        ("At the moment rooms are booked in a separate system and don't show up in the calendar "
         "invite. Please link the two."),
    ),
    (
        "printing",
        "Print from my phone",
        ("Sometimes I just need to print a form from my phone. A simple way to email a document "
         "to the print queue would help."),
    ),
    (
        "accounts-and-passwords",
        "Connect the expenses tool to our normal login",
        ("It's the only system that still needs its own username and password, and I forget it "
         "every single month."),
    ),
    (
        "onboarding",
        "IT basics session in the first week",
        ("A 30-minute session for new joiners covering sign-in, the authenticator app, printing "
         "and where to get help."),
    ),
    (
        "meeting-rooms",
        "Attach the laptop adapters to the cables",
        ("Every room is missing the adapter for the new laptops. Could they be fixed to the "
         "cable so they don't walk off?"),
    ),
    (
        "accounts-and-passwords",
        "Allow long passphrases without the symbol rules",
        ("Let us use a long passphrase without being forced to add symbols and numbers. Easier "
         "to remember, harder to guess."),
    ),
    (
        "intranet",
        "Company events calendar on the intranet",
        ("Events are announced in news posts that scroll away. A simple calendar view would help "
         "people plan."),
    ),
    (
        "software-requests",
        "Software requests take weeks to approve",
        ("I asked for a diagramming tool three weeks ago. It's free. The approval is still "
         "sitting with someone I've never heard of."),
    ),
    (
        "service-desk",
        "A priority route when a whole team is blocked",
        ("When nobody in the team can work, we should be able to flag it as urgent without "
         "having to argue with the first person who answers."),
    ),
    (
        "printing",
        "Keep spare toner on each floor",
        ("When toner runs out we wait days for a delivery. A small shelf of spares on each floor "
         "would avoid that."),
    ),
    (
        "meeting-rooms",
        "One-button start for video calls in meeting rooms",
        ("Every meeting starts with ten minutes of fiddling with cables and remotes. One button "
         "to join the call, please."),
    ),
    (
        "laptops",
        "Old laptops can't cope with video calls",
        ("Screen sharing plus the video-call app plus one big spreadsheet and my laptop grinds "
         "to a halt. The older models just aren't up to it any more."),
    ),
    (
        "accounts-and-passwords",
        "An approved password manager app, please",
        ("I'd happily use one, but personal password managers are blocked. Could IT provide an "
         "approved one?"),
    ),
    (
        "service-desk",
        "Tell us when a ticket changes status",
        ("I raise a ticket and then hear nothing for days. An email when someone picks it up, or "
         "when it's waiting on me, would stop me chasing."),
    ),
    (
        "security",
        "MFA prompts too frequent",
        ("I get asked to approve a sign-in on my phone five or six times a day. Once a day on a "
         "trusted device would be plenty."),
    ),
    (
        "software-requests",
        "Publish the list of approved software",
        ("Half the requests I see are for things we already have licences for. A searchable list "
         "would prevent duplicates."),
    ),
    (
        "service-desk",
        "Later opening hours for IT support, please",
        ("Support closes at 5pm sharp but half the building is still here. A staggered rota (8 "
         "to 4 and 10 to 6) would give longer cover without anyone working overtime."),
    ),
    (
        "software-requests",
        "Allow elevated rights on engineering laptops",
        ("Engineering could have a separate laptop policy with more freedom, given that we "
         "already do extra security training."),
    ),
    (
        "accounts-and-passwords",
        "Warn me a week before my password expires",
        ("It just expires in the middle of a meeting. A warning a few days earlier would let me "
         "change it at a sensible time."),
    ),
    (
        "onboarding",
        "New starters wait a week for a laptop",
        ("Our last two hires spent their first week borrowing other people's machines. The "
         "laptop should be on the desk on day one."),
    ),
    (
        "intranet",
        "Show when each intranet page was last updated",
        "A 'last reviewed' date would tell me whether I can trust what I'm reading.",
    ),
    (
        "wifi",
        "Poor wifi signal on the top floor",
        ("The signal on the 5th floor is weak all day and video calls freeze constantly. An "
         "extra access point or two would probably fix it."),
    ),
    (
        "security",
        "Security awareness training is a box-ticking exercise",
        ("Everyone clicks through it as fast as possible. Real examples from our own inboxes "
         "would make it more useful."),
    ),
    (
        "intranet",
        "Feedback button on every intranet page",
        "A small 'is this page useful?' button would tell page owners which content needs fixing.",
    ),
    (
        "onboarding",
        "Send the authenticator setup steps before day one",
        ("Setting up the authenticator app on the first morning takes ages and holds up "
         "everything else. Send the instructions to new starters' personal email a few days "
         "early."),
    ),
    (
        "software-requests",
        "Clear timelines for software requests",
        ("Even if approvals take time, tell us the expected turnaround and where the request is "
         "stuck right now."),
    ),
    (
        "meeting-rooms",
        "Too many rooms booked but empty",
        ("I couldn't find a room for an urgent call today, yet four 'booked' rooms on my floor "
         "were sitting empty."),
    ),
    (
        "laptops",
        "New laptops don't fit the old bags",
        ("The new model is wider and doesn't fit the bags we were given. Could new bags be "
         "offered with the refresh?"),
    ),
    (
        "onboarding",
        "Set up email signatures for new staff automatically",
        ("Every new person has their own creative signature. A standard one filled in from the "
         "HR record would look more professional."),
    ),
    (
        "software-requests",
        "Let us install pre-approved apps ourselves",
        ("Needing someone from IT to remote in just to install a standard tool feels like a "
         "waste of their time and mine."),
    ),
    (
        "printing",
        "Printers should set themselves up automatically",
        ("Could laptops pick up the printers for the floor they're on without us doing anything? "
         "I spend ages hunting for the right name."),
    ),
    (
        "accounts-and-passwords",
        "Too many different passwords for work systems",
        "I counted nine work passwords. This just encourages people to write them on sticky notes.",
    ),
    (
        "intranet",
        "Intranet search never finds anything",
        ("I type the exact title of a policy and get fifty unrelated news posts. Search needs "
         "serious work."),
    ),
    (
        "software-requests",
        "A PDF editor for everyone",
        ("We all need to fill in and sign PDFs now and then, and the free viewer can't do it "
         "properly."),
    ),
    (
        "service-desk",
        "Self-help articles for common problems",
        ("A short library of how-to guides (reconnecting the dock, clearing the browser cache, "
         "adding a printer) would let people fix simple things themselves."),
    ),
    (
        "intranet",
        "Let teams run their own simple pages",
        ("We'd like a page for our team with contacts and useful links, without having to go "
         "through the central comms team for every edit."),
    ),
    (
        "accounts-and-passwords",
        "The password change cycle is way too frequent",
        "I'd only just got used to my current one and it's already asking me to change it.",
    ),
    (
        "service-desk",
        "The ticket form asks too many questions",
        ("Twelve mandatory fields to report a broken mouse. Could the form be shortened for "
         "simple things?"),
    ),
    (
        "laptops",
        "Ergonomic keyboards without a long process",
        ("Getting a split keyboard took two months and a note from occupational health. Basic "
         "ergonomic kit should be easier to get."),
    ),
    (
        "service-desk",
        "Remote sessions should ask permission first",
        ("A technician took over my screen while I had a confidential file open. A prompt before "
         "connecting would be polite, and safer."),
    ),
    (
        "printing",
        "Printers should order their own toner",
        ("Most modern printers can report when toner is low. Could they raise a ticket or place "
         "an order automatically?"),
    ),
    (
        "security",
        "Prompt fatigue is a real security risk",
        ("Constant sign-in prompts train people to tap 'approve' without thinking. Fewer, "
         "smarter prompts would actually be safer."),
    ),
    (
        "wifi",
        "VPN disconnects every hour",
        ("Working from home, the VPN drops roughly once an hour and I have to sign in again and "
         "approve the phone prompt every time."),
    ),
    (
        "service-desk",
        "Let us message the helpdesk instead of calling",
        ("The phone line is always noisy and it's hard to spell out error codes. Text chat would "
         "make it much easier to explain problems and paste the exact message."),
    ),
    (
        "wifi",
        "Too many Wi-Fi networks with confusing names",
        ("There are four networks with similar names and nobody knows which one to pick. Hide "
         "the ones we're not meant to use."),
    ),
    (
        "accounts-and-passwords",
        "Self-service password reset",
        ("If I forget my password I have to call the service desk and wait. A self-service reset "
         "using the authenticator app would be much quicker."),
    ),
    (
        "security",
        "Allow approved USB drives",
        ("All USB storage is blocked, but we receive files from a supplier who can only send "
         "them on a memory stick. An encrypted, approved drive would solve it."),
    ),
    (
        "onboarding",
        "Order equipment as soon as the contract is signed",
        ("The laptop request only goes in when the hiring manager remembers. Link it to the "
         "signed contract so nobody falls through the cracks."),
    ),
    (
        "accounts-and-passwords",
        "Single sign-on for all our internal tools",
        ("I have separate logins for the expenses system, the timesheet tool and the HR portal. "
         "One sign-in for everything, please."),
    ),
    (
        "wifi",
        "Laptop asks for my Wi-Fi password every morning",
        ("Every day I have to sign in to the office Wi-Fi again. My phone remembers it, so why "
         "can't the laptop?"),
    ),
    (
        "meeting-rooms",
        "Ghost meetings are blocking all the rooms",
        ("Walk past any 'booked' room and half of them are empty. Some kind of check-in would "
         "free them up."),
    ),
    (
        "accounts-and-passwords",
        "Why do our passwords still expire?",
        "Genuine question: we have multi-factor sign-in now, so what does the 60-day expiry add?",
    ),
    (
        "service-desk",
        "Ticket updates go into a black hole",
        ("Once I've logged something I have no idea whether anyone has looked at it. Please send "
         "a notification whenever the status changes."),
    ),
    (
        "onboarding",
        "Stop making managers request every app one by one",
        ("I had to raise eleven tickets for one new starter. One form with checkboxes would be "
         "enough."),
    ),
    (
        "software-requests",
        "Reclaim unused software licences",
        ("We pay for licences people haven't opened in a year. Remove them automatically after "
         "90 days without use."),
    ),
    (
        "intranet",
        "Intranet access from a phone without the VPN",
        ("I'd like to check the canteen menu and the news from my phone without connecting to "
         "the VPN first."),
    ),
    (
        "software-requests",
        "A company software catalogue with one-click installs",
        ("Something like the app store on a phone, but with only the apps we're allowed to use. "
         "Pick it, install it, done."),
    ),
    (
        "intranet",
        "Improve search on the intranet",
        ("Search results should put documents and pages first, not old news articles from years "
         "ago."),
    ),
    (
        "wifi",
        "Video calls keep freezing on Wi-Fi",
        ("Wired is fine, wireless is terrible, especially between 9 and 11. Is the network just "
         "overloaded?"),
    ),
    (
        "meeting-rooms",
        "Remote attendees can't hear people at the far end of the table",
        ("The room microphone only picks up whoever is sitting next to it. Remote colleagues "
         "miss half of every meeting."),
    ),
    (
        "onboarding",
        "A lighter setup process for short-term contractors",
        ("A contractor here for six weeks went through the full onboarding and lost the first "
         "one to it. Something simpler for short contracts would help."),
    ),
    (
        "printing",
        "Print from any printer with my badge",
        ("Send everything to one queue and release the job at whichever printer I'm next to by "
         "tapping my badge. It would also stop confidential pages sitting in the tray."),
    ),
    (
        "laptops",
        "Loan laptops while mine is being repaired",
        ("My laptop went in for a keyboard repair and I had nothing to work on for four days. A "
         "couple of loan machines would cover this."),
    ),
    (
        "wifi",
        "Extend the Wi-Fi to the outdoor seating area",
        "In summer people would happily work outside at lunch, but the signal stops at the door.",
    ),
    (
        "security",
        "a plain-English summary of the security policy",
        ("the full policy is 40 pages. a one-page version of the rules that actually affect "
         "day-to-day work would get read."),
    ),
    (
        "meeting-rooms",
        "Check-in screens outside meeting rooms",
        ("A small screen by the door showing who booked the room, with a check-in button, would "
         "stop phantom bookings."),
    ),
    (
        "laptops",
        "Headsets for everyone, not just the contact centre",
        ("We're all on video calls most of the day now. A decent headset with a microphone "
         "should be standard kit."),
    ),
    (
        "onboarding",
        "Day one without a computer is a terrible first impression",
        ("I started last month and didn't get a laptop until the Thursday. I read the staff "
         "handbook three times. Not a great welcome."),
    ),
    (
        "service-desk",
        "Chat with IT from inside the support portal",
        ("When I'm filling in the portal form there's often a quick question I need answered "
         "first. A chat button right there would avoid tickets bouncing back and forth."),
    ),
    (
        "software-requests",
        "Warn us before big software updates",
        ("The spreadsheet app changed its whole layout overnight and half the team thought "
         "something was broken. A heads-up email would help."),
    ),
    (
        "security",
        "The USB block stops us working with external partners",
        ("Event suppliers bring presentations on memory sticks and we have no way to open them. "
         "Is there an approved route?"),
    ),
    (
        "meeting-rooms",
        "Room bookings don't sync with my calendar",
        ("I booked room 4B, then moved the meeting in my calendar, and the room booking didn't "
         "move with it. Now someone else has the room."),
    ),
    (
        "security",
        "One-click phishing reporting",
        ("Make it as easy to report a dodgy email as it is to delete it. Otherwise people just "
         "delete."),
    ),
    (
        "service-desk",
        "A physical help point for laptop problems",
        ("Some things are just easier to show someone in person. A help point in the atrium at "
         "lunchtime would be great."),
    ),
    (
        "software-requests",
        "Share licences for tools people only use occasionally",
        ("Some teams only need the video editor twice a year. A few shared licences people can "
         "borrow would be cheaper than everyone having their own."),
    ),
    (
        "printing",
        "Adding a printer to my laptop is way too hard",
        ("I need admin rights or a ticket just to add the printer next to my desk. It should be "
         "a one-click thing."),
    ),
    (
        "onboarding",
        "Ask new starters how their IT setup went",
        ("A two-question survey after the first week would show what is going wrong with "
         "onboarding before it happens to the next person."),
    ),
    (
        "printing",
        "Let me pick up my printing on any floor",
        ("Installing a different printer for every floor is silly. One queue for the whole "
         "building, please."),
    ),
    (
        "security",
        "Remember trusted devices for multi-factor sign-in",
        ("My laptop is managed by IT and encrypted. Why does it still need a phone prompt every "
         "few hours?"),
    ),
    (
        "service-desk",
        "Close tickets only after I confirm the fix",
        ("Mine keep getting closed as 'resolved' while the problem is still there. Ask me first, "
         "or give me a day to reopen it."),
    ),
    (
        "intranet",
        "Show an org chart in the directory",
        ("Being able to see who reports to whom would help new people find their way around a "
         "lot faster."),
    ),
    (
        "printing",
        "A large-format printer for posters",
        ("We send posters and floor plans to an outside print shop several times a month. One "
         "large-format printer might pay for itself."),
    ),
    (
        "software-requests",
        "software approval is painfully slow",
        ("waited 19 days for a screen recorder. gave up and recorded my screen with my phone "
         "instead."),
    ),
    (
        "security",
        "Bite-sized security tips instead of one long course",
        "A weekly two-minute tip on the intranet would do more good than the annual course.",
    ),
    (
        "laptops",
        "A keyboard and mouse at every hot desk",
        ("Carrying a keyboard and mouse around in my bag feels silly. Basic ones at every desk, "
         "please."),
    ),
    (
        "accounts-and-passwords",
        "password expired while i was on leave",
        ("came back from 2 weeks off and couldn't sign in to anything. had to call the desk from "
         "a colleagues phone."),
    ),
    (
        "service-desk",
        "Show known outages on the support portal",
        ("When email goes down, two hundred people ring the desk at once. A status banner on the "
         "portal would save everyone time."),
    ),
    (
        "software-requests",
        "Local admin rights for developers",
        ("Our developers raise a ticket every time they need to install a package or change a "
         "setting. Admin rights, even temporary ones, would help hugely."),
    ),
    (
        "accounts-and-passwords",
        "Show me which groups and folders I have access to",
        ("I never know which shared folders I can open until I try. A page listing my current "
         "permissions would help, and would help me spot mistakes."),
    ),
    (
        "onboarding",
        "A timeline for managers before a new person starts",
        ("Managers don't know what to request and when. A simple timeline (four weeks before: "
         "order laptop; one week before: accounts) would stop most of the delays."),
    ),
    (
        "service-desk",
        "Bring back the walk-up IT desk",
        ("Before the office move we could drop by the IT desk with a laptop and get it sorted in "
         "ten minutes. Now everything has to go through a ticket. Please bring it back, even if "
         "it's only two mornings a week."),
    ),
    (
        "printing",
        "The third floor printer needs replacing",
        ("It jams on almost every double-sided job and has done for months. Can it be swapped "
         "for a newer one?"),
    ),
    (
        "intranet",
        "A searchable FAQ for common IT questions",
        ("How do I set up the printer, how do I get a new charger, who do I call about the VPN. "
         "A searchable FAQ would answer most of them."),
    ),
    (
        "software-requests",
        "Self-service app store for approved software",
        ("A catalogue of approved apps where we click install and it just appears would save "
         "everyone time, IT included."),
    ),
    (
        "service-desk",
        "Service desk should stay open until 6pm",
        ("Lots of us work later than five, and when something breaks at 5:15 there is nobody to "
         "call. Staying open until 6pm would cover most of the late crowd."),
    ),
    (
        "intranet",
        "Can't find the expenses policy on the intranet",
        ("I searched for 'expenses' and the policy wasn't in the first three pages of results. "
         "Ended up asking a colleague for the link."),
    ),
    (
        "laptops",
        "Every hot desk needs a second monitor",
        ("Half the hot desks have one screen and the other half have two. It's a lottery every "
         "morning."),
    ),
    (
        "intranet",
        "The staff directory is out of date",
        ("Wrong phone numbers, old job titles, people listed in teams they left years ago. Could "
         "it sync from the HR system?"),
    ),
    (
        "wifi",
        "The wifi in the basement training room is unusable",
        ("We run training there every week and half the attendees can't connect. Really "
         "embarrassing when we have external trainers in."),
    ),
    (
        "printing",
        "Follow-me printing across all floors",
        ("If my floor's printer is down, I'd like to walk to another one and just pick up my job "
         "there."),
    ),
    (
        "meeting-rooms",
        "Hybrid meetings leave remote people out",
        ("The camera shows the whole room as tiny dots and the sound is muffled. People joining "
         "remotely feel like second-class attendees."),
    ),
    (
        "accounts-and-passwords",
        "Let managers approve access requests from their phone",
        ("Access requests wait for days because the approver is travelling. Approving from a "
         "phone would keep things moving."),
    ),
    (
        "intranet",
        "One page for all IT news",
        ("Planned maintenance, new tools, changes to the service desk: a single IT news page "
         "would make it much easier to keep up."),
    ),
    (
        "onboarding",
        "Contractor accounts should expire on the contract end date",
        ("Contractor accounts should switch off automatically on the end date unless someone "
         "extends them."),
    ),
    (
        "accounts-and-passwords",
        "Provide a company password manager",
        ("People keep passwords in spreadsheets. A proper password manager would be safer for "
         "everyone."),
    ),
    (
        "software-requests",
        "Allow a second web browser",
        ("Some supplier websites only work properly in a different browser from the one we have. "
         "Please allow a second one."),
    ),
    (
        "printing",
        "3F printer broken again",
        "third time this week. had to walk up to 4 to print the contracts",
    ),
    (
        "security",
        "too many mfa popups",
        "approve, approve, approve. every time i switch between home and office wifi it asks again",
    ),
    (
        "wifi",
        "Network ports at hot desks don't work",
        ("Most of the network ports at the hot desks seem to be dead. Either patch them in or "
         "label the ones that work."),
    ),
    (
        "security",
        "Tell us what happened after we report a phishing email",
        ("I report them but never hear back. A quick 'thanks, this was phishing' would encourage "
         "more people to keep reporting."),
    ),
    (
        "accounts-and-passwords",
        "Every generic account needs a named owner",
        ("There are accounts like 'reception1' that nobody owns. Each one should have a named "
         "owner and a yearly review."),
    ),
    (
        "meeting-rooms",
        "Put simple instructions in every meeting room",
        ("A laminated card saying how to join a call, how to share your screen, and who to call "
         "if it's broken."),
    ),
    (
        "onboarding",
        "A proper checklist when someone leaves",
        ("When a colleague left we had no idea how to get hold of their files or who to give the "
         "laptop to. A leaver checklist for managers would really help."),
    ),
    (
        "wifi",
        "Announce planned network maintenance in advance",
        ("The network went down on a Tuesday afternoon for 'planned work' that nobody had heard "
         "about. A couple of days' notice would let us plan around it."),
    ),
    (
        "onboarding",
        "new hire had no laptop for 4 days",
        "again. this is the third time this year on my team. what is the hold-up?",
    ),
    (
        "wifi",
        "Faster internet connection at the regional office",
        ("The branch office shares a tiny connection. One person uploading a large file slows "
         "down the whole team."),
    ),
    (
        "meeting-rooms",
        "Room booking should be part of the meeting invite",
        "Two separate systems means double bookings. One place to book everything, please.",
    ),
    (
        "security",
        "Travel checklist for taking a laptop abroad",
        ("Before I travel for work I never know what I can take or whether the VPN works in that "
         "country. A short checklist would help."),
    ),
    (
        "onboarding",
        "Keep your old access when you move teams? Please don't",
        ("When I changed teams I kept every permission from my old team and waited two weeks for "
         "the new ones. It should be the other way round."),
    ),
    (
        "laptops",
        "Laptop won't charge from the dock",
        ("The dock runs the screens but my battery slowly drains through the day. I'm fairly "
         "sure the dock isn't supplying enough power."),
    ),
    (
        "wifi",
        "Dead zone in the east wing meeting rooms",
        "No signal at all in rooms E3 to E6. We end up tethering to our phones.",
    ),
    (
        "accounts-and-passwords",
        "Let me unlock my own account",
        ("I got locked out after three wrong attempts and had to wait 40 minutes for the desk to "
         "unlock it."),
    ),
    (
        "onboarding",
        "New starters' accounts should work on day one",
        ("The laptop arrives but the account isn't active until lunchtime, or the next day. "
         "Please create accounts a few days before the start date."),
    ),
    (
        "software-requests",
        "Stop updates restarting my laptop during the day",
        ("An update forced a restart halfway through a client presentation. Please only restart "
         "outside working hours."),
    ),
    (
        "laptops",
        "Shorter replacement cycle for laptops",
        ("A lot of our laptops are well past their best. Could the replacement cycle be "
         "shortened, at least for people who run heavy software?"),
    ),
    (
        "printing",
        "Scan straight to my own email",
        ("At the moment scans go to a shared folder anyone can open. Scanning to my own inbox "
         "would be safer and quicker."),
    ),
    (
        "intranet",
        "Every intranet page needs a named owner",
        ("When something is wrong there's nobody to tell. Put the owner's name at the bottom of "
         "each page."),
    ),
    (
        "laptops",
        "Spare chargers at reception",
        ("Forgot my charger today and had to go home at lunch. A few loan chargers at reception "
         "would be a life-saver."),
    ),
    (
        "intranet",
        "Dark mode for the intranet",
        ("The bright white pages are hard on the eyes, especially for those of us working early "
         "or late."),
    ),
    (
        "laptops",
        "Offer a lighter laptop for frequent travellers",
        ("The standard laptop is heavy once you add the charger. A lighter model for people who "
         "travel every week would be appreciated."),
    ),
    (
        "meeting-rooms",
        "Cancel recurring bookings made by people who have left",
        ("Found a weekly booking from someone who left last year. It's still blocking the room "
         "every Tuesday."),
    ),
    (
        "service-desk",
        "Let us book a time slot for a technician visit",
        ("Instead of waiting all afternoon for someone to turn up, let me choose a 30-minute "
         "slot that suits me."),
    ),
    (
        "printing",
        "Secure release so printouts don't sit in the tray",
        ("HR documents left in the printer tray are a real privacy risk. Holding jobs until the "
         "person is standing at the printer would fix it."),
    ),
    (
        "wifi",
        "Show the guest Wi-Fi details on the reception screen",
        ("If the code has to rotate, at least put it on the screen in reception instead of "
         "everyone emailing IT for it."),
    ),
    (
        "service-desk",
        "can IT support be reachable after 5?",
        ("my vpn died at 5:10 yesterday and i lost the whole evening. is there really no one "
         "after 5?"),
    ),
    (
        "meeting-rooms",
        "Add meeting rooms as resources in the calendar",
        "I want to pick a room when I create the invite, like I could at my last job.",
    ),
    (
        "laptops",
        "Docking stations don't work half the time",
        ("I plug in and nothing happens: no screens, no keyboard. Unplug, replug, restart, then "
         "it works. Every single morning."),
    ),
    (
        "printing",
        "Someone please take charge of the floor 3 printer",
        ("When it jams, everyone walks away assuming someone else will report it. A named "
         "contact, or a sticker saying how to report faults, would help."),
    ),
    (
        "onboarding",
        "Leavers still show up in the staff directory",
        ("Tried to contact someone through the directory and found out they'd left in the "
         "spring. Please clean it up when people leave."),
    ),
    (
        "service-desk",
        "Add a live chat option for IT support",
        ("Phoning isn't always practical in an open-plan office. A chat window on the intranet "
         "would be quicker for small questions."),
    ),
    (
        "onboarding",
        "Keep a stock of ready-to-go laptops for new starters",
        ("A small pool of laptops that are already set up would mean nobody has to wait for a "
         "build when a start date gets moved forward."),
    ),
    (
        "accounts-and-passwords",
        "Stop forcing password changes every two months",
        ("Modern guidance recommends long passwords that only change if they've been "
         "compromised. Can we follow that?"),
    ),
    (
        "printing",
        "Who refills the paper?",
        ("The printer on our floor is empty by lunch most days. Could facilities and IT agree "
         "who is responsible for keeping it stocked?"),
    ),
    (
        "meeting-rooms",
        "Book rooms in the other building too",
        ("We can only see rooms in our own building. One booking system covering all our sites, "
         "please."),
    ),
    (
        "accounts-and-passwords",
        "Password manager for shared team accounts",
        ("Our team shares a handful of supplier portal logins. We need a secure way to share "
         "them that isn't a document in the team folder."),
    ),
    (
        "printing",
        "Low toner alerts to the office team",
        ("A simple email to the office manager when toner drops below 10% would stop the "
         "surprise outages."),
    ),
    (
        "software-requests",
        "Why do I need three approvals for a PDF editor?",
        ("Manager, budget holder and security all have to approve a licence that costs less than "
         "a team lunch. That seems excessive."),
    ),
    (
        "security",
        "Flag emails that come from outside the company",
        ("A simple 'external sender' banner would make it easier to spot fake emails pretending "
         "to be from our own managers."),
    ),
    (
        "meeting-rooms",
        "Small phone booths for one-person calls",
        ("Lots of people book a six-person room for a solo call. A few phone booths would free "
         "up the proper rooms."),
    ),
    (
        "service-desk",
        "No feedback at all after logging a ticket",
        ("Logged a problem with my monitor two weeks ago. No reply, no status, nothing. Is there "
         "any way to see progress without ringing up?"),
    ),
    (
        "meeting-rooms",
        "can we book rooms straight from the calendar app",
        "the separate booking site is so slow and logs me out every time",
    ),
    (
        "intranet",
        "Mobile-friendly intranet for frontline staff",
        ("Drivers and site staff can't read the news or the rota on their phones because the "
         "pages don't fit the screen."),
    ),
    (
        "security",
        "Stop asking for two-factor every time I open an app",
        "Each app asks separately. Could one approval cover the whole morning?",
    ),
    (
        "software-requests",
        "Developers need more control over their machines",
        ("We can't install the runtimes and tools we need without a ticket. It slows every "
         "project down."),
    ),
    (
        "meeting-rooms",
        "Better lighting for video calls in the small rooms",
        ("The small rooms have one harsh ceiling light, so everyone looks like a silhouette on "
         "camera. A simple front light would fix it."),
    ),
    (
        "laptops",
        "Replace laptops every 3 years instead of 5",
        ("By year four the laptops are painfully slow. A three-year refresh would pay for itself "
         "in time people no longer spend waiting."),
    ),
    (
        "onboarding",
        "A one-page IT welcome guide for new staff",
        ("Wi-Fi, printer setup, how to reach support, where to find the intranet. One page on "
         "the first day would save loads of questions."),
    ),
    (
        "software-requests",
        "A proper screen recording tool for training videos",
        "We make short how-to videos for customers and have nothing decent to record them with.",
    ),
)

COMMENTS: tuple[str, ...] = (
    "+1, this happens to me at least once a week.",
    "Completely agree. I raised something similar last year and nothing changed.",
    "This would save our team hours every month.",
    "Same here. I thought it was just me!",
    "Good idea, but I wonder how much it would cost to roll out everywhere.",
    "Has anyone from IT looked at this yet? It would be good to get an update.",
    "We tried something like this at my previous job and it worked really well.",
    "Not sure I agree. The current way is a bit slow, but at least it's predictable.",
    "Workaround in the meantime: ask in the team chat, someone usually knows.",
    "Is this a problem in every office or just ours?",
    "Happened to me yesterday in the middle of a client call. Not fun.",
    "Voted. Please, please make this happen.",
    "I'd support this as long as it doesn't make things less secure.",
    "Could this be trialled on one floor first to see if it helps?",
    "I think there's already a ticket open for this. Worth linking it here.",
    "This is the number one thing that frustrates new people on my team.",
    "Small change, big difference. Love it.",
    "Honestly, I've stopped reporting it because nothing ever happens.",
    "It would be good to know who owns this area so we could talk to them directly.",
    "A partial fix would already help a lot. It doesn't have to be perfect.",
    "I'd rather see the money spent on something else, to be honest.",
    "Agree with the idea, but the description undersells how bad it is.",
    "Our team keeps a spreadsheet to work around this. It shouldn't need one.",
    "Tip: restarting fixes it for me about half the time.",
    "Does anyone know if this is already on the IT roadmap?",
    "My manager brought this up in our team meeting too, so it's not just a few of us.",
    "Fully behind this. It affects people in the branch offices even more.",
    ("I asked about this at the all-staff meeting and was told it was being looked at. That was "
     "in the spring."),
    "Happy to help test this if IT needs volunteers.",
    "Same problem on the second floor.",
    "Yes! This came up in my onboarding feedback too.",
    "I see the point, but I'd worry about the extra work for the service desk.",
    "This would make life so much easier for part-time staff.",
    "Great suggestion. Simple and sensible.",
    "We lose a good chunk of every Monday morning to this.",
    "Maybe combine this with the similar idea posted last week?",
    "Upvoted. Clearer communication once it's fixed would be nice too.",
    "Had exactly this issue this morning.",
    "I don't mind the current setup, but I can see why others do.",
    "For what it's worth, the other office already does this and it works fine.",
    "Can we get a rough timeline? Even 'not this year' would be useful to know.",
    "This is an accessibility issue too, which makes it even more important.",
    "I've been here six years and this has always been a problem.",
    "Adding my vote. Please keep the solution simple though.",
    "Would this need budget approval? Happy to help write the business case.",
    "A quick win compared to most of the ideas on here.",
    "I think the real issue is that nobody owns it.",
    "Yes please. Even a temporary fix would be welcome.",
    "Interesting. How would this work for people who are working from home?",
    "Agree, although I'd be happy with a halfway version to start with.",
    "The number of times I've had to apologise to visitors for this...",
    "Counterpoint: we had something like this before and people abused it.",
    "This has cost me real time on deadlines more than once.",
    "Wholeheartedly agree. It's the little things that add up.",
    "Is there any data on how often this happens? It might help make the case.",
    "I asked the service desk and they said it's a known issue with no fix date yet.",
    "I like this, but please talk to the people who'll actually use it before deciding.",
    "Please don't let this one get lost like the last few suggestions.",
    "Our floor would benefit most from this. Happy to be the pilot.",
    "Could we have an FAQ on this in the meantime?",
    "Good shout. I've been meaning to suggest the same thing for ages.",
    "Not a huge issue for me personally, but I know it is for others.",
    "I'd rather see this done properly than rushed.",
    "If it helps anyone: writing the steps on a sticky note got me through it.",
    "Strong yes from the finance team.",
    "We raised this in our team retrospective too. Everyone nodded.",
    "This plus better communication would fix most of the complaints I hear.",
    "Slightly different view: the process is fine, people just don't know about it.",
    "How do other companies handle this? Might be worth a look.",
    "Voting for this one. It's been bugging me for months.",
    "Please! My team would buy cake for whoever fixes this.",
    "I'm new here and was surprised this isn't already the case.",
    "It gets worse at month end when everyone is busy.",
    "Is this something we could fix ourselves with a bit of guidance?",
    "Love this. Please check it works for the night shift as well.",
    "Agree in principle, but the details will matter a lot.",
    "Just lost half an hour to this. Upvoted.",
    "Thanks for posting this, I didn't know where to raise it.",
    "It used to work better a couple of years ago. Not sure what changed.",
    "This would really help those of us who split our time between two sites.",
)

THEME_COMMENTS: dict[str, tuple[str, ...]] = {
    "service-desk": (
        "The desk staff are great, there just aren't enough of them at busy times.",
        ("When I finally got through, the technician fixed it in five minutes. The wait was the "
         "problem."),
        "Ticket numbers in the email subject line would make following up much easier.",
        "I rang at 8:55 and got voicemail. Opening at 8:30 would help early starters too.",
    ),
    "laptops": (
        "My laptop fan sounds like a hairdryer by mid-afternoon.",
        "Check the back of the dock: mine had the power cable half out for a month.",
        "It would be great to swap kit at reception instead of waiting for a courier.",
        "The newer model is much better, but half the office is still on the old one.",
    ),
    "onboarding": (
        "Our last new starter spent two days shadowing because nothing was ready.",
        "A checklist shared between HR, IT and the manager would catch most of this.",
        "People moving between teams go through a mini onboarding too. Don't forget them.",
        "First impressions matter. The tech should just work on day one.",
    ),
    "wifi": (
        "Running a speed test at different times of day might help IT find the worst spots.",
        "Moving two desks closer to the window fixed it for me, oddly enough.",
        "The wired ports are fine if you can find one that's actually connected.",
        "Visitors notice this. It doesn't look great in front of clients.",
    ),
    "printing": (
        "I keep a ream of paper in my drawer for emergencies. I shouldn't have to.",
        "Honestly, most of what I print could probably be shared digitally instead.",
        "The printer in the post room is nearly always free if you're desperate.",
        "A sticker on every printer saying how to report a fault would help.",
    ),
    "software-requests": (
        "Half the time the tool I need is already licensed, I just don't know it.",
        "Fill in the business reason field properly. It really helps the approver.",
        "Our team ended up paying for it on a company card, which probably isn't ideal.",
        "A list of approved alternatives would save a lot of back-and-forth.",
    ),
    "security": (
        "I'm all for security, but it has to be usable or people find ways around it.",
        "The last phishing test caught me out, so I'm glad the training exists.",
        ("Could the security team explain the reasoning behind the rule? People accept more when "
         "they understand why."),
        "Fewer prompts, but ones that mean something, please.",
    ),
    "meeting-rooms": (
        "Half our meetings start late because of the screen. Multiply that across the building.",
        "A quick guide taped to the table would already be a big improvement.",
        "The big rooms are always held by recurring meetings that ended months ago.",
        "People joining remotely should get the same experience as people in the room.",
    ),
    "accounts-and-passwords": (
        "I keep my passwords in a notebook because there are too many. Not ideal, I know.",
        "Being locked out first thing on a Monday is the worst start to the week.",
        "Whatever the rule is, please make the error message say what's wrong.",
        "Self-service with the authenticator app seems like the obvious answer here.",
    ),
    "intranet": (
        "I bookmark everything because I can never find it a second time.",
        "Half the pages say they were last updated years ago, which doesn't inspire confidence.",
        "Asking a colleague is still faster than the intranet, sadly.",
        "Page owners would help. Right now there's nobody to tell when something is wrong.",
    ),
}
