"""The table of every action of the window: name, text, keys, where it appears.

Plain data (no Qt), so that the command line and the labels store can refuse a label key
an action uses, and the README's keyboard table can be written from it. The window
builds its menus, toolbar, context menus and the F1 list from this table
(``factmark.ui.window.actions``), binding each name to one handler.

Keys are written as Qt's portable text (``Ctrl+Shift+Z``); a row may have several.
``scope`` says where the keys act: ``window`` anywhere in the window, ``article`` only
while the article has the keyboard (Enter and Backspace mean other things in text
fields), ``view`` keys the article handles itself (no menu item). ``menu`` is the menu
path (``Document/Suggestions``), empty for none. ``when`` names what must hold for the
action to be enabled: ``document`` (a document is open) or empty (always). Actions on
the selected span stay enabled: pressed with none selected, they say what to do.
"""

from __future__ import annotations

from typing import NamedTuple

# Menus in the order of the menu bar, with their Alt+ mnemonic letter.
MENUS: tuple[tuple[str, str], ...] = (
    ("File", "F"),
    ("Edit", "E"),
    ("Label", "L"),
    ("Document", "D"),
    ("View", "V"),
    ("Help", "H"),
)


class ActionSpec(NamedTuple):
    """One action: what the user sees and presses, and where it appears.

    A named tuple, not a frozen dataclass: the table is read at every start, and a
    dataclass's generated methods are compiled each time its class is made.
    """

    name: str
    text: str  # menu text, with & before the mnemonic letter
    keys: tuple[str, ...] = ()
    menu: str = ""
    scope: str = "window"
    when: str = ""
    tip: str = ""
    help: str = ""  # what the F1 list and the README say it does (default: the text)
    icon: str = ""
    toolbar: str = ""  # the short text on the document toolbar, when it is there
    checkable: bool = False
    section: int = 0  # menu items of different sections are parted by a separator

    @property
    def title(self) -> str:
        """The text without its mnemonic marker."""
        return self.text.replace("&", "")


A = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    # -- File -------------------------------------------------------------------------
    A("newProject", "&New project…", ("Ctrl+N",), "File"),
    A("openProject", "&Open project…", ("Ctrl+O",), "File"),
    A(
        "importFiles",
        "&Import files…",
        ("Ctrl+I",),
        "File",
        tip="Import .txt, .md, .html, .docx or .jsonl files",
        icon="import",
        section=1,
    ),
    A(
        "addArchive",
        "Add fact-check &archive…",
        (),
        "File",
        tip="Bring earlier fact-checks (ClaimReview JSON-LD or feeds, Google Fact Check "
        "Tools JSON, saved fact-check pages, CSV) into the project's archive",
        section=1,
    ),
    A(
        "exportCorpus",
        "&Export corpus…",
        ("Ctrl+E",),
        "File",
        tip="Export annotations as a training corpus",
        icon="export",
        section=1,
    ),
    A(
        "copyForAnnotator",
        "Export project for &annotator…",
        (),
        "File",
        tip="A copy of this project for a colleague to annotate offline",
        section=1,
    ),
    A(
        "mergeProjects",
        "&Merge projects…",
        (),
        "File",
        tip="Bring annotators' copies back into this project, side by side",
        section=1,
    ),
    A("quit", "&Quit", ("Ctrl+Q",), "File", section=2),
    # -- Edit -------------------------------------------------------------------------
    A(
        "undo",
        "&Undo",
        ("Ctrl+Z",),
        "Edit",
        help="Undo (across documents too)",
        icon="undo",
        toolbar="Undo",
    ),
    A("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", icon="redo", toolbar="Redo"),
    A(
        "deleteSpan",
        "&Delete span",
        ("Delete",),
        "Edit",
        tip="Delete the selected span",
        help="Delete the selected span (and its links)",
        icon="delete",
        section=1,
    ),
    A(
        "deselect",
        "Deselect",
        ("Escape",),
        "Edit",
        help="Cancel linking, close the find bar, give the article the keys back (from a list "
        "or a panel), or drop the selection",
        section=1,
    ),
    A(
        "find",
        "&Find in article…",
        ("Ctrl+F",),
        "Edit",
        when="document",
        help="Find in the article (Enter selects the match: a label key labels it at once)",
        icon="find",
        toolbar="Find",
        section=1,
    ),
    A(
        "findNext",
        "Find next",
        ("F3",),
        "Edit",
        when="document",
        help="Find the next match of the find bar's text",
        section=1,
    ),
    A("snapToWords", "&Snap selection to whole words", (), "Edit", checkable=True, section=2),
    A(
        "labels",
        "&Labels…",
        (),
        "Edit",
        tip="Add, rename, recolour, re-key and reorder the project's labels and link types",
        section=2,
    ),
    A("annotator", "Annotator &name…", (), "Edit", section=2),
    # -- Label (the label actions come first, from the project's labels) ---------------
    A(
        "growStart",
        "Grow span at start",
        ("Shift+Alt+Left",),
        "Label",
        help="Grow the selected span at its start (a word or a punctuation mark at a time)",
        section=1,
    ),
    A(
        "growEnd",
        "Grow span at end",
        ("Shift+Alt+Right",),
        "Label",
        help="Grow the selected span at its end (a word or a punctuation mark at a time)",
        section=1,
    ),
    A(
        "shrinkEnd",
        "Shrink span at end",
        ("Ctrl+Shift+Alt+Left",),
        "Label",
        help="Shrink the selected span at its end (or drag its handle with the mouse)",
        section=1,
    ),
    A(
        "shrinkStart",
        "Shrink span at start",
        ("Ctrl+Shift+Alt+Right",),
        "Label",
        help="Shrink the selected span at its start",
        section=1,
    ),
    A(
        "linkSpan",
        "&Link selected span to…",
        ("R",),
        "Label",
        tip="Link the selected span (a source to its claim, a number or place to its claim): "
        "press R, then click the other span",
        help=(
            "Link the selected span to another: R, then click it (or Alt+Down / Alt+Up, which"
            " stop at the spans the link can go to, and Enter)"
        ),
        section=2,
    ),
    A(
        "linkFactCheck",
        "Link claim to its &best earlier fact-check",
        ("Shift+Alt+C", "Alt+1"),
        "Label",
        tip="Store the best match of the Previously checked list on the selected claim",
        help="Link the selected claim to the best match in Previously checked (its URL and "
        "rating become the claim's fact_check_url and fact_check_rating; or click its Link)",
        section=2,
    ),
    A(
        "linkFactCheck2",
        "Link claim to the second earlier fact-check",
        ("Alt+2",),
        "Label",
        help="Link the selected claim to the second match in Previously checked",
        section=2,
    ),
    A(
        "linkFactCheck3",
        "Link claim to the third earlier fact-check",
        ("Alt+3",),
        "Label",
        help="Link the selected claim to the third match in Previously checked",
        section=2,
    ),
    A(
        "acceptCue",
        "Accept the proposed &cue",
        ("Shift+Alt+K",),
        "Label",
        tip="Mark the cue proposed for the selected source's or claim's link (drawn dotted) "
        "and link it to the claim",
        help="Accept the cue proposed for the selected source's or claim's link (dotted in "
        "the article, under the link in Links): the cue span and its cue_of link, one undo "
        "step",
        section=2,
    ),
    A(
        "acceptQuote",
        "Accept the proposed &quote",
        ("Shift+Alt+W",),
        "Label",
        tip="Store the quote (direct, indirect, mixed) proposed from the claim's quotation "
        "marks for the link in focus",
        help="Accept the quote proposed for the link in focus (the Link box and the Links list "
        "say which; direct when the claim is in quotation marks, mixed when partly, else "
        "indirect)",
        section=2,
    ),
    A(
        "outletVoice",
        "Claim in the &outlet's own voice",
        ("Shift+Alt+A",),
        "Label",
        tip="The selected claim has no source: the outlet or its author says it (again: not)",
        help="Mark the selected claim, which has no source, as the outlet's / author's own "
        "voice (again: unmark it)",
        section=2,
    ),
    A(
        "markCues",
        "Mark c&ues (said, according to…)",
        (),
        "Label",
        tip="Add the label cue (the reporting verb or phrase) and the link type cue_of to the "
        "project, or remove them while unused",
        checkable=True,
        section=2,
    ),
    A(
        "acceptGold",
        "Accept span into the gold layer",
        ("G",),
        "Label",
        help="Adjudication, in review mode (F6): accept the selected span into the gold layer "
        "(a gold copy on its text, with its attributes, note and links to spans in gold)",
        section=3,
    ),
    A(
        "rejectReview",
        "Reject span (review)",
        ("X",),
        "Label",
        help="Adjudication, in review mode (F6): reject the selected span and take its gold "
        "copy out again; on a gold span, take it out of the gold layer",
        section=3,
    ),
    A("nextSpan", "Select next span", ("Alt+Down",), "Label", when="document", section=4),
    A("previousSpan", "Select previous span", ("Alt+Up",), "Label", when="document", section=4),
    # -- Document ---------------------------------------------------------------------
    A(
        "suggest",
        "&Suggest spans",
        ("Ctrl+Shift+S",),
        "Document/Suggestions",
        when="document",
        tip="Propose numbers, places and sources to accept (Enter) or reject (Backspace)",
        help="Suggest spans for the document (worked out in the background)",
        icon="find",
    ),
    A(
        "suggestOnOpen",
        "Suggest when a document &opens",
        (),
        "Document/Suggestions",
        checkable=True,
    ),
    A(
        "enterKey",
        "Accept suggestion and go to the next / finish link",
        ("Return", "Enter"),
        "Document/Suggestions",
        scope="article",
        when="document",
        help="Accept the suggestion in hand (shown in the Suggestion panel) and go to the next "
        "one; after the last, the status bar says so. While linking, link to the chosen span",
    ),
    A(
        "acceptAllSuggestions",
        "Accept all suggestions",
        ("Shift+Return", "Shift+Enter"),
        "Document/Suggestions",
        scope="article",
        when="document",
        help="Accept all suggestions, but those that would stack on a span already there "
        "(counted in the status bar)",
    ),
    A(
        "backspaceKey",
        "Reject suggestion / delete span",
        ("Backspace",),
        "Document/Suggestions",
        scope="article",
        when="document",
        help="Reject the suggestion in hand and go to the next one; with none in hand (a click "
        "or Escape lets go of it), delete the selected span",
    ),
    A(
        "nextSuggestion",
        "Next suggestion",
        ("Tab",),
        scope="view",
        help="Take the next suggestion in hand (while suggestions are shown; a click inside a "
        "dashed outline picks one too); after the last, says so, then starts from the top",
    ),
    A(
        "previousSuggestion",
        "Previous suggestion",
        ("Shift+Tab",),
        scope="view",
        help="Go to the previous suggestion",
    ),
    A(
        "nextDocument",
        "&Next document",
        ("Alt+Right",),
        "Document",
        icon="next",
        toolbar="Next",
        section=1,
    ),
    A(
        "previousDocument",
        "&Previous document",
        ("Alt+Left",),
        "Document",
        icon="previous",
        toolbar="Previous",
        section=1,
    ),
    A(
        "markDone",
        "Mark &done and go on",
        ("Ctrl+Return", "Ctrl+Enter"),
        "Document",
        when="document",
        tip="Mark this document done and open the next unfinished one (Ctrl+Enter)",
        help="Mark the document done and open the next unfinished one",
        icon="done",
        toolbar="Done",
        section=2,
    ),
    A(
        "markSkipped",
        "Mark &skipped and go on",
        ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"),
        "Document",
        when="document",
        tip="Skip this document and open the next unfinished one",
        help="Mark the document skipped and open the next unfinished one",
        icon="skip",
        toolbar="Skip",
        section=2,
    ),
    A("markInProgress", "Mark &in progress", (), "Document", when="document", section=2),
    # -- View -------------------------------------------------------------------------
    A("zoomIn", "Zoom &in", ("Ctrl++", "Ctrl+="), "View"),
    A("zoomOut", "Zoom &out", ("Ctrl+-",), "View"),
    A("zoomReset", "&Actual size", ("Ctrl+0",), "View", help="Zoom back to the actual size"),
    A(
        "statistics",
        "&Statistics…",
        ("Ctrl+Shift+I",),
        "View",
        icon="statistics",
        toolbar="Statistics",
        section=1,
    ),
    A(
        "reviewMode",
        "&Review mode (colour by annotator)",
        ("F6",),
        "View",
        checkable=True,
        help="Review mode: colour spans by annotator, the gold layer black (again: off)",
        section=1,
    ),
    A(
        "nextConflict",
        "Next merge co&nflict",
        ("F7",),
        "View",
        help="Review mode: show the next merge conflict, this project's version beside the copy's",
        section=1,
    ),
    A(
        "takeCopyVersion",
        "Take the cop&y's version",
        ("F8",),
        "View",
        help="Settle the merge conflict shown: take the copy's version (one undo step)",
        section=1,
    ),
    A(
        "keepThisVersion",
        "&Keep this project's version",
        ("Shift+F8",),
        "View",
        help="Settle the merge conflict shown: keep this project's version (one undo step)",
        section=1,
    ),
    A("agreement", "A&greement between annotators…", (), "View", section=1),
    A(
        "markCheckedSentences",
        "Mark sentences &checked before",
        (),
        "View",
        checkable=True,
        tip="Suggest as claims the sentences that closely match a claim in the project's "
        "archive of earlier fact-checks (Enter accepts, Backspace rejects)",
        section=1,
    ),
    A(
        "showDocumentList",
        "&Document list",
        (),
        "View",
        checkable=True,
        help="Show or fold away the document list (as dragging its edge to the window's side)",
        section=2,
    ),
    A(
        "showSidePanels",
        "Side &panels",
        (),
        "View",
        checkable=True,
        help="Show or fold away the span list, suggestion, links and details column",
        section=2,
    ),
    A("showLabelToolbar", "Label &toolbar", (), "View", checkable=True, section=2),
    A(
        "showGuidelines",
        "&Guidelines",
        ("F2",),
        "View",
        checkable=True,
        help="Show or hide the annotation guidelines",
        section=2,
    ),
    # -- Help -------------------------------------------------------------------------
    A("shortcuts", "&Keyboard shortcuts", ("F1",), "Help", help="Every key of the window"),
    A("about", "&About Factmark", (), "Help"),
)
del A

# Menu items every window has that are built from the project, after the fixed ones.
LABEL_ACTION_PREFIX = "label_"
ATTRIBUTE_ACTION_PREFIX = "attr_"
LINK_ATTRIBUTE_ACTION_PREFIX = "linkattr_"


def spec(name: str) -> ActionSpec:
    """The row of one action."""
    for row in ACTIONS:
        if row.name == name:
            return row
    raise KeyError(name)


def reserved_keys() -> dict[str, str]:
    """Every key an action or a menu takes, in capitals (``R``, ``ALT+F``), with who
    takes it: a label key must be none of these."""
    taken = {f"ALT+{letter}": f"the {menu} menu" for menu, letter in MENUS}
    for row in ACTIONS:
        for key in row.keys:
            taken.setdefault(key.upper(), f"“{row.title}”")
    return taken


def label_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be a label key (it would take an action's key), or None."""
    owner = reserved_keys().get(key.strip().upper())
    if owner is None:
        return None
    return f"key {key.strip()!r} is used by {owner}; choose another key"
