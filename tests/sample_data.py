"""Exercise data for tests: one complete exercise as a dict, and ways to change it."""

from __future__ import annotations

import datetime

from conftest import SETTINGS

Exercise = SETTINGS.model

BASE = {
    "id": "sample",
    "title": "A sample exercise",
    "summary": "A short exercise.",
    "updated": datetime.date(2026, 11, 22),
    "idea": {"name": "Listen to the end", "credit": "After *a blog post*."},
    "purpose": "Practise **staying** a little longer.",
    "audiences": ["seller", "manager"],
    "format": "pair",
    "people": {"min": 2, "max": 6, "odd": "Make one trio: the third person keeps time."},
    "use_when": ["Before a customer meeting"],
    "not_when": ["In a crisis"],
    "prep": {"minutes": 5, "what": "Find a *partner*.", "checklist": ["A timer"]},
    "session": {"minutes": 20},
    "follow_up": {"within_days": 7, "what": "Try it in a real meeting."},
    "difficulty": "introductory",
    "themes": ["listening", "customer-meetings"],
    "steps": [
        {
            "title": "Listen",
            "minutes": 10,
            "instructions": "One talks.",
            "prompts": ["What did you hear?"],
        },
        {"title": "Swap", "minutes": 10, "instructions": "Swap roles."},
    ],
    "worksheet": {
        "fields": [
            {"id": "goal", "type": "short", "label": "Your goal", "help": "One line."},
            {"id": "notes", "type": "long", "lines": 6, "label": "Notes"},
            {"id": "questions", "type": "list", "items": 4, "label": "Questions"},
            {
                "id": "log",
                "type": "table",
                "columns": ["Date", "Who", "Why"],
                "rows": 3,
                "label": "Log",
            },
            {
                "id": "focus",
                "type": "rating",
                "label": "Focus",
                "low": "Distracted",
                "high": "Present",
            },
        ]
    },
    "checklist": {
        "items": [
            {"id": "waited", "text": "I waited.", "points": 2},
            {"id": "depth", "text": "How deep did it go?", "points": 3, "kind": "scale"},
            {"id": "again", "text": "I did it again in a meeting.", "when": "follow-up"},
        ],
        "bands": [
            {"min": 0, "max": 2, "label": "Start", "advice": "Try again."},
            {"min": 3, "max": 5, "label": "Good", "advice": "Try with a customer."},
            {"min": 6, "max": 6, "label": "A habit", "advice": "Teach it to someone."},
        ],
    },
    "debrief": ["What surprised you?"],
    "facilitator_notes": "Watch the *pause*.",
    "variations": [{"name": "Remote", "description": "Cameras on."}],
    "related": ["other"],
}


def exercise(**changes) -> Exercise:
    return Exercise.model_validate({**BASE, **changes})


def other() -> Exercise:
    return exercise(id="other", title="The other one", related=[])
