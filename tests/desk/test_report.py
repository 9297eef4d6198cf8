"""The desk's daily report: a day's figures by hand, who may read it, and its query count."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from desk.models import Visit
from desk.reports import Duration, day_report, hour_chart, offices_day, visit_figures
from desk.services import visit_call_next, visit_move
from offices.models import Office, OfficeTimeZone
from tests.factories import UserFactory, default_office, office, walk_in_desk

from .conftest import ticket

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)
URL = reverse("desk_reports:day")


def at(clock: str, day: date = DAY) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime(day.year, day.month, day.day, hours, minutes))


def visitor(n: int, purpose: str, segment: str, clock: str, day: date = DAY, where=None) -> Visit:
    # Each visitor a different person: the guest book recognises a repeated e-mail or phone.
    return ticket(
        name=f"Tamu {n}",
        email=f"tamu{n}@example.com",
        phone=f"08110000{n:04d}",
        purpose=purpose,
        segment=segment,
        now=at(clock, day),
        office=where,
    )


def move(visit: Visit, name: str, clock: str, staff, day: date = DAY) -> Visit:
    return visit_move(visit=visit, move=name, by=staff, now=at(clock, day))


def call(desk, staff, clock: str, day: date = DAY) -> Visit:
    return visit_call_next(desk=desk, by=staff, now=at(clock, day))


@pytest.fixture
def day(staff, desk, second_desk):
    """Five tickets on 10 March 2026, worked out by hand:

    ticket  purpose       segment     taken  desk  called  served         response
    A-001   data          student     08:00  1     08:02   08:03–08:13    2:00 (from the ticket)
    B-001   consultation  government  08:05  1     08:20   08:21–08:26    7:00 (from A-001 done)
    A-002   data          private     08:10  2     08:30   08:31–08:51   20:00 (from the ticket)
    C-001   library       student     09:00  1     09:30   not present   30:00 (from the ticket)
    A-003   data          researcher  09:40  –     still waiting
    """
    first = visitor(1, "data", "student", "08:00")
    call(desk, staff, "08:02")
    move(first, "start", "08:03", staff)
    visitor(2, "consultation", "government", "08:05")
    visitor(3, "data", "private", "08:10")
    move(first, "finish", "08:13", staff)
    second = call(desk, staff, "08:20")
    move(second, "start", "08:21", staff)
    move(second, "finish", "08:26", staff)
    third = call(second_desk, staff, "08:30")
    move(third, "start", "08:31", staff)
    move(third, "finish", "08:51", staff)
    visitor(4, "library", "student", "09:00")
    absent = call(desk, staff, "09:30")
    move(absent, "skip", "09:32", staff)
    visitor(5, "data", "researcher", "09:40")
    # Another day's visitor never counts.
    other = visitor(6, "data", "student", "10:00", DAY - timedelta(days=1))
    call(desk, staff, "10:01", DAY - timedelta(days=1))
    return other


def test_the_days_figures_computed_by_hand(day):
    figures = day_report(office=default_office(), day=DAY).figures

    assert (figures.tickets, figures.served, figures.absent, figures.still_open) == (5, 3, 1, 1)
    # Waiting (ticket to call) of the four called: 2:00, 15:00, 20:00, 30:00.
    assert figures.waiting_median == Duration(1050) and str(figures.waiting_median) == "17:30"
    assert figures.waiting_max == Duration(30 * 60)
    # Service of the three served: 10:00, 5:00, 20:00.
    assert figures.service_median == Duration(600) and str(figures.service_median) == "10:00"
    assert str(figures.service_max) == "20:00"
    # Within 10 minutes: A-001 (2:00) and B-001 (7:00) of four calls.
    assert (figures.within_standard, figures.calls) == (2, 4)
    assert figures.share_within == Decimal("50.0")


def test_the_day_by_purpose_segment_desk_and_hour(day):
    report = day_report(office=default_office(), day=DAY)

    assert {row.key: row.count for row in report.purposes} == {
        "data": 3,
        "consultation": 1,
        "library": 1,
        "other": 0,
    }
    segments = {row.key: row.count for row in report.segments}
    assert segments["student"] == 2 and segments["government"] == 1
    assert segments["private"] == 1 and segments["researcher"] == 1
    assert sum(segments.values()) == 5
    first, second = report.desks
    assert (first.number, first.calls, first.served, first.absent) == (1, 3, 2, 1)
    assert first.within_standard == 2 and first.share_within == Decimal("66.7")
    assert str(first.waiting_average) == "15:40"  # (2:00 + 15:00 + 30:00) / 3
    assert str(first.service_average) == "7:30" and str(first.service_max) == "10:00"
    assert (second.number, second.calls, second.served, second.within_standard) == (2, 1, 1, 0)
    hours = {bar.hour: (bar.tickets, bar.served) for bar in report.chart.bars}
    assert hours[8] == (3, 3) and hours[9] == (2, 0) and hours[14] == (0, 0)
    assert [row.visit.ticket for row in report.visits] == [
        "A-001",
        "B-001",
        "A-002",
        "C-001",
        "A-003",
    ]
    assert [row.late for row in report.visits] == [False, False, True, True, False]


def test_median_of_an_odd_and_an_even_count(day):
    visits = Visit.objects.filter(day=DAY, service="A")
    figures = visit_figures(visits)

    # waited 2:00 and 20:00; A-003 was not called.
    assert figures.waiting_median == Duration(660)
    assert visit_figures(Visit.objects.none()).waiting_median is None


def test_the_hour_chart_scales_to_the_busiest_hour():
    chart = hour_chart({8: (9, 4), 18: (1, 1)})

    assert [bar.hour for bar in chart.bars] == list(range(8, 19))
    busiest = chart.bars[0]
    assert busiest.height == round(9 * 150 / 12) and busiest.served_height == 50
    assert chart.ticks[-1][0] == 12 and chart.ticks[-1][1] == chart.baseline - 150


def test_staff_read_the_day_with_its_figures(client, staff, day):
    client.force_login(staff)

    page = client.get(URL, {"day": "2026-03-10"})

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="figure-tickets">5<' in html
    assert 'id="figure-waiting">17:30<' in html and 'id="figure-service">10:00<' in html
    assert 'id="figure-within">50,0%<' in html
    assert 'id="hour-chart"' in html and "A-003" in html
    assert "?day=2026-03-09" in html and "?day=2026-03-11" in html
    assert "Tamu 1" not in html  # the list names institutions, not people


def test_the_day_defaults_to_today_without_a_next_day(client, head):
    client.force_login(head)

    page = client.get(URL, {"day": "not-a-day"})

    assert page.status_code == 200
    assert page.context["report"].day == timezone.localdate()
    assert 'id="next-day"' not in page.content.decode()
    assert 'id="no-visits"' in page.content.decode()


def test_the_csv_lists_the_days_visits(client, staff, day):
    client.force_login(staff)

    response = client.get(URL, {"day": "2026-03-10", "format": "csv"})

    lines = response.content.decode().strip().splitlines()
    assert response["Content-Disposition"].startswith('attachment; filename="loket-3304-2026-03-10')
    assert len(lines) == 6  # the heading and five visits
    assert lines[1].startswith("A-001,") and ",2:00,10:00,120," in lines[1]


def test_text_typed_in_the_guest_book_cannot_be_a_formula(client, staff):
    ticket(institution="=HYPERLINK(1)", now=at("08:00"))
    client.force_login(staff)

    text = client.get(URL, {"day": "2026-03-10", "format": "csv"}).content.decode()

    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("who", ["customer", "treasurer"])
def test_customers_and_the_treasurer_get_not_found(client, who, customer, treasurer):
    client.force_login(customer if who == "customer" else treasurer)

    assert client.get(URL).status_code == 404
    assert client.get(URL, {"format": "csv"}).status_code == 404


@pytest.mark.parametrize("who", ["staff", "head", "superuser"])
def test_staff_the_head_and_the_superuser_read_it(client, who, staff, head, superuser):
    client.force_login({"staff": staff, "head": head, "superuser": superuser}[who])

    assert client.get(URL).status_code == 200


def test_visitors_without_an_account_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("users:login"))


def test_the_page_runs_the_same_queries_however_many_visitors(
    client, staff, desk, django_assert_max_num_queries
):
    def serve(n: int) -> None:
        hour = 8 + n // 4
        visitor(n, ("data", "library", "consultation")[n % 3], "general", f"{hour}:{n:02d}")
        called = call(desk, staff, f"{hour}:{n + 1:02d}")
        move(called, "start", f"{hour}:{n + 2:02d}", staff)
        move(called, "finish", f"{hour}:{n + 3:02d}", staff)

    client.force_login(staff)
    serve(1)
    with django_assert_max_num_queries(30) as few:
        assert client.get(URL, {"day": "2026-03-10"}).status_code == 200
    for n in range(2, 14):
        serve(n)
    visitor(20, "other", "student", "15:00")  # and one still waiting
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL, {"day": "2026-03-10"})
    assert page.context["report"].figures.tickets == 14


# --- per office, and every office side by side ---------------------------------------------


@pytest.fixture
def tana_tidung(db):
    return office("6503", name="BPS Kabupaten Tana Tidung", time_zone=OfficeTimeZone.WITA)


@pytest.fixture
def palembang(db):
    return office("1600", name="BPS Provinsi Sumatera Selatan")


@pytest.fixture
def national(db):
    return UserFactory(email="nasional@example.com", roles=["national_admin"])


def served_at(where, n: int, clock: str) -> Visit:
    """A visitor of the office, called one minute after the ticket and served for five."""
    staff = UserFactory(roles=["pst_staff"], office=where)
    desk = walk_in_desk(where)
    visit = visitor(n, "data", "student", clock, where=where)
    called = visit_call_next(desk=desk, by=staff, now=at(clock) + timedelta(minutes=1))
    assert called == visit
    visit_move(visit=called, move="start", by=staff, now=at(clock) + timedelta(minutes=2))
    return visit_move(visit=called, move="finish", by=staff, now=at(clock) + timedelta(minutes=7))


def test_the_day_is_the_offices_own(client, staff, day, tana_tidung):
    served_at(tana_tidung, 50, "08:00")
    client.force_login(staff)

    page = client.get(URL, {"day": "2026-03-10"})

    assert page.context["report"].office == default_office()
    assert page.context["report"].figures.tickets == 5  # Tana Tidung's visitor is not ours
    assert "BPS Kabupaten Banjarnegara" in page.content.decode()


def test_tana_tidungs_hours_are_on_its_own_clock(client, tana_tidung):
    # 08:00 in Jakarta is 09:00 in Tana Tidung (WITA).
    visit = served_at(tana_tidung, 50, "08:00")
    client.force_login(UserFactory(roles=["head"], office=tana_tidung))

    page = client.get(URL, {"day": "2026-03-10"})
    text = client.get(URL, {"day": "2026-03-10", "format": "csv"}).content.decode()

    hours = {bar.hour: bar.tickets for bar in page.context["report"].chart.bars}
    assert hours[9] == 1 and hours[8] == 0
    assert ">09:01<" in page.content.decode()  # called at 08:01 WIB
    assert text.splitlines()[1].startswith(f"{visit.ticket},") and ",09:00:00,09:01:00," in text


@pytest.mark.parametrize("who", ["staff", "head"])
def test_another_offices_report_and_csv_are_refused(client, who, staff, head, tana_tidung):
    served_at(tana_tidung, 50, "08:00")
    client.force_login(staff if who == "staff" else head)

    for params in ({"office": "6503"}, {"office": "6503", "format": "csv"}, {"office": "0000"}):
        assert client.get(URL, {"day": "2026-03-10", **params}).status_code == 404, params
    # Their own office named, or none: their own.
    assert client.get(URL, {"office": "3304"}).status_code == 200


def test_people_of_the_back_office_without_an_office_get_not_found(client):
    client.force_login(UserFactory(roles=["head"], office=False))

    assert client.get(URL).status_code == 404


def test_the_national_roles_see_every_office_side_by_side(
    client, national, day, tana_tidung, palembang
):
    served_at(tana_tidung, 50, "08:00")
    client.force_login(national)

    page = client.get(URL, {"day": "2026-03-10"})

    html = page.content.decode()
    rows = {row.office.code: row for row in page.context["report"].rows}
    assert page.status_code == 200 and 'id="by-office"' in html
    assert (rows["3304"].tickets, rows["3304"].served, rows["3304"].still_open) == (5, 3, 1)
    assert (rows["6503"].tickets, rows["6503"].served) == (1, 1)
    assert rows["1600"].tickets == 0
    total = page.context["report"].total
    assert (total.tickets, total.served, total.absent, total.calls) == (6, 4, 1, 5)
    assert str(rows["6503"].waiting_average) == "1:00"
    assert "?day=2026-03-10&amp;office=6503" in html


def test_the_national_roles_filter_a_province_and_download_it(
    client, national, day, tana_tidung, palembang
):
    served_at(tana_tidung, 50, "08:00")
    client.force_login(national)

    page = client.get(URL, {"day": "2026-03-10", "province": "65"})
    text = client.get(URL, {"day": "2026-03-10", "province": "65", "format": "csv"})

    assert {row.office.code for row in page.context["report"].rows} <= {"6500", "6503"}
    assert page.context["report"].total.tickets == 1
    lines = text.content.decode().strip().splitlines()
    assert text["Content-Disposition"].startswith('attachment; filename="loket-65-2026-03-10')
    assert any(line.startswith("6503,BPS Kabupaten Tana Tidung,1,1,") for line in lines)
    assert lines[-1].startswith(",Total,1,1,")


def test_the_national_roles_open_one_offices_day(client, superuser, day, tana_tidung):
    client.force_login(superuser)

    page = client.get(URL, {"day": "2026-03-10", "office": "3304"})
    csv = client.get(URL, {"day": "2026-03-10", "office": "3304", "format": "csv"})

    html = page.content.decode()
    assert page.context["report"].figures.tickets == 5
    assert "?day=2026-03-09&amp;office=3304" in html and 'id="all-offices"' in html
    assert len(csv.content.decode().strip().splitlines()) == 6
    assert client.get(URL, {"office": "9999"}).status_code == 404


def test_every_offices_day_runs_the_same_queries_however_many_offices(
    client, national, django_assert_max_num_queries
):
    client.force_login(national)
    served_at(default_office(), 1, "08:00")
    with django_assert_max_num_queries(30) as few:
        assert client.get(URL, {"day": "2026-03-10"}).status_code == 200
    for n, code in enumerate(["1600", "1601", "6503", "6504"], start=2):
        served_at(office(code), n, "09:00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL, {"day": "2026-03-10"})
    assert page.context["report"].total.tickets == 5


def test_offices_day_by_hand(tana_tidung, palembang):
    served_at(tana_tidung, 50, "08:00")
    served_at(tana_tidung, 51, "08:30")

    report = offices_day(offices=Office.objects.filter(code__in=["1600", "6503"]), day=DAY)

    assert [(row.office.code, row.tickets) for row in report.rows] == [("1600", 0), ("6503", 2)]
    assert report.total.tickets == 2 and str(report.total.service_average) == "5:00"
