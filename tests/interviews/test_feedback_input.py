"""The one parser of feedback and reviews (`interviews.feedback_input`): DRF serializers run
by the services, shared by the pages and the API, naming every bad value at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from drf_spectacular.generators import SchemaGenerator

from interviews.feedback_input import (
    SELF_ASSESSMENT_CLOSED,
    FeedbackRequest,
    ReviewInput,
    clean_score,
    parse_feedback_data,
    parse_review_data,
    parse_revision,
)
from interviews.rubrics import PHASE_SLUGS, PHASES

IDS = {11, 12, 13}
FULL_SELF_ASSESSMENT = {phase.slug: 3 for phase in PHASES}


def _errors(data: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        parse_feedback_data(data=data, criterion_ids=IDS, rubric_number=2)
    return error.value.message_dict


def test_it_names_every_bad_value_at_once_by_its_dotted_name() -> None:
    errors = _errors(
        {
            "scores": {"11": 9, "99": 3, "12": "²"},
            "phases": {"nowhere": {}, "technical-spec": {"notes": "a\x00b", "prodding": "lots"}},
            "level": "principal",
            "strengths": 42,
        }
    )

    assert errors == {
        "scores.11": ["Score 1 to 4."],
        "scores.99": ["Rubric version 2 has no criterion 99."],
        "scores.12": ["Score 1 to 4."],
        "phases.nowhere": [f"No phase “nowhere”; use one of {', '.join(PHASE_SLUGS)}."],
        "phases.technical-spec.prodding": ["Choose none, some or a-lot."],
        "phases.technical-spec.notes": ["Null characters are not allowed."],
        "level": ["Choose mid, senior or staff."],
        "strengths": ["Write this as text of at most 10,000 characters."],
    }


@pytest.mark.parametrize("value", ["²", "9" * 5_000, True, 2.5, [3], {"n": 3}, "0", 5])
def test_a_score_that_is_not_one_to_four_is_refused(value: object) -> None:
    assert list(_errors({"scores": {"11": value}})) == ["scores.11"]
    assert clean_score(value) is None


def test_a_draft_reads_form_strings_clears_on_blank_and_ignores_read_only_parts() -> None:
    changes = parse_feedback_data(
        data={
            "scores": {"11": "3", "12": "", "13": None},
            "phases": {"technical-spec": {"prodding": None}},
            "recommendation": "hire",
            "revision": "not read here",
        },
        criterion_ids=IDS,
        rubric_number=2,
    )

    assert changes.scores == {11: 3, 12: None, 13: None}
    assert changes.phases == {"technical-spec": {"prodding": ""}}
    assert changes.overall == {"recommendation": "hire"}


@pytest.mark.parametrize("value", ["²", "-1", "9" * 5_000, True, [1]])
def test_a_revision_that_is_not_a_whole_number_is_named(value: object) -> None:
    with pytest.raises(ValidationError) as error:
        parse_revision(value)

    assert error.value.message_dict == {
        "revision": ["Send the revision you last read, a whole number."]
    }


def test_a_review_while_feedback_is_hidden_needs_all_five_self_scores() -> None:
    with pytest.raises(ValidationError) as error:
        parse_review_data(
            data={
                "rating": "5",
                "would_practise_again": "yes",
                "self_assessment": {"technical-spec": 9, "nowhere": 2},
            },
            takes_self_assessment=True,
        )

    assert set(error.value.message_dict) == {f"self_assessment.{p.slug}" for p in PHASES} | {
        "self_assessment.nowhere"
    }


@pytest.mark.parametrize("empty", [None, {}, ""])
def test_after_the_reveal_a_review_takes_no_self_assessment(empty: object) -> None:
    given = parse_review_data(
        data={"rating": 4, "would_practise_again": False, "self_assessment": empty},
        takes_self_assessment=False,
    )
    assert (given.rating, given.would_practise_again, given.self_assessment) == (4, False, {})

    with pytest.raises(ValidationError) as error:
        parse_review_data(
            data={
                "rating": 4,
                "would_practise_again": False,
                "self_assessment": FULL_SELF_ASSESSMENT,
            },
            takes_self_assessment=False,
        )
    assert error.value.message_dict == {"self_assessment": [SELF_ASSESSMENT_CLOSED]}


def test_a_review_with_nothing_right_names_each_field() -> None:
    with pytest.raises(ValidationError) as error:
        parse_review_data(
            data={"rating": "²", "comment": "x\x00", "share_comment": None},
            takes_self_assessment=True,
        )

    assert set(error.value.message_dict) == {
        "rating",
        "comment",
        "would_practise_again",
        "share_comment",
        "self_assessment",
    }


def _request_body(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    ref = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def test_the_schema_documents_the_parsers_themselves() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    feedback = _request_body(schema, "/api/v1/sessions/{session_id}/feedback/", "put")
    review = _request_body(schema, "/api/v1/sessions/{session_id}/review/", "post")

    assert set(feedback["properties"]) == set(FeedbackRequest().fields)
    assert set(review["properties"]) == set(ReviewInput().fields)
    assert feedback["properties"]["scores"]["additionalProperties"]["maximum"] == 4
