"""The one message catalogue: every word a person reads, in Bahasa Indonesia and English.

Officers and coordinators read Indonesian; donors and auditors may read English. Keeping
both languages in one table means a new message cannot be added for one language only
(``tests/test_i18n.py`` checks that every key has every language and the same
``{placeholders}``).
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("id", "en")
DEFAULT_LANG: Final = "id"

MESSAGES: Final[dict[str, dict[str, str]]] = {
    # Route sheets and WhatsApp messages
    "sheet.title": {"id": "Lembar rute", "en": "Route sheet"},
    "sheet.officer": {"id": "Petugas", "en": "Officer"},
    "sheet.vehicle": {"id": "Kendaraan", "en": "Vehicle"},
    "sheet.base": {"id": "Pangkalan", "en": "Base"},
    "sheet.date": {"id": "Tanggal", "en": "Date"},
    "sheet.trip": {"id": "Rit {n} dari {total}", "en": "Trip {n} of {total}"},
    "sheet.visit": {"id": " (kunjungan {k} dari {n})", "en": " (visit {k} of {n})"},
    "sheet.load_at": {
        "id": "Muat di {source} pukul {time}: {items}",
        "en": "Load at {source} at {time}: {items}",
    },
    "sheet.unload_at": {
        "id": "Bongkar di {hub}: {items}",
        "en": "Unload at {hub}: {items}",
    },
    "sheet.hub_stock": {"id": "{hub} (stok {source})", "en": "{hub} ({source} stock)"},
    "sheet.loaded_at_start": {
        "id": "Berangkat bermuatan dari {source} pukul {time}: {items}",
        "en": "Leave loaded from {source} at {time}: {items}",
    },
    "sheet.return": {"id": "Kembali ke {base} pukul {time}", "en": "Back at {base} at {time}"},
    "sheet.col.no": {"id": "No", "en": "No"},
    "sheet.col.household": {"id": "Rumah tangga", "en": "Household"},
    "sheet.col.address": {"id": "Alamat", "en": "Address"},
    "sheet.col.rtrw": {"id": "RT/RW", "en": "RT/RW"},
    "sheet.col.notes": {"id": "Catatan", "en": "Notes"},
    "sheet.col.items": {"id": "Barang", "en": "Items"},
    "sheet.col.arrival": {"id": "Tiba", "en": "Arrive"},
    "sheet.col.done": {"id": "Diserahkan", "en": "Handed over"},
    "sheet.phone": {"id": "Telp", "en": "Phone"},
    "sheet.handover": {
        "id": (
            "Serah terima tanpa kontak: telepon atau ketuk dari luar, letakkan paket di depan "
            "pintu, mundur 2 meter, tunggu sampai paket diambil. Jangan masuk rumah; pakai "
            "masker dan cuci tangan sesudahnya."
        ),
        "en": (
            "Contact-free handover: call or knock from outside, put the package at the door, "
            "step back 2 metres and wait until it is taken in. Do not enter; wear a mask and "
            "wash your hands afterwards."
        ),
    },
    "sheet.navigate": {"id": "Navigasi Google Maps", "en": "Google Maps navigation"},
    "sheet.via": {"id": "lewat {roads}", "en": "via {roads}"},
    "sheet.off_road": {"id": "{m} m dari jalan terdekat", "en": "{m} m from the nearest road"},
    "sheet.navigate_part": {"id": "bagian {n}/{total}", "en": "part {n}/{total}"},
    "sheet.on_board": {
        "id": "Sudah di kendaraan dari rit sebelumnya: {items}",
        "en": "Already on board from the previous trip: {items}",
    },
    "sheet.col.handover": {"id": "Serah", "en": "Hand over"},
    "sheet.col.window": {"id": "jendela", "en": "window"},
    "sheet.id": {"id": "ID", "en": "ID"},
    "sheet.wait_window": {
        "id": "tunggu {min} mnt: rumah tangga minta {window}",
        "en": "wait {min} min: the household asked for {window}",
    },
    "sheet.wait_schedule": {
        "id": "tunggu {min} mnt: serahkan pukul {time} agar jadwal berikutnya tepat",
        "en": "wait {min} min: hand over at {time} to keep the next times",
    },
    "sheet.wait_stock": {
        "id": "tunggu {min} mnt: stok baru bisa dimuat pukul {time}",
        "en": "wait {min} min: the stock can be loaded from {time}",
    },
    "sheet.plan_id": {"id": "Rencana {id}", "en": "Plan {id}"},
    "sheet.scan": {
        "id": "Pindai untuk navigasi",
        "en": "Scan to navigate",
    },
    "count.stops.one": {"id": "{n} titik", "en": "{n} stop"},
    "count.stops.many": {"id": "{n} titik", "en": "{n} stops"},
    "count.packages.one": {"id": "{n} paket", "en": "{n} package"},
    "count.packages.many": {"id": "{n} paket", "en": "{n} packages"},
    "sheet.no_routes": {"id": "Tidak ada rute hari ini.", "en": "No routes today."},
    "sheet.summary": {
        "id": "{stops}, {packages}, {km} km, {start}-{end}",
        "en": "{stops}, {packages}, {km} km, {start}-{end}",
    },
    "wa.greeting": {
        "id": "Selamat bertugas, {officer}. Rute {vehicle} tanggal {date}:",
        "en": "Good luck, {officer}. Route for {vehicle} on {date}:",
    },
    "wa.handover_short": {
        "id": "Serah terima tanpa kontak: letakkan di depan pintu, mundur 2 m.",
        "en": "Contact-free: leave it at the door, step back 2 m.",
    },
    "wa.open_map": {"id": "Buka peta", "en": "Open map"},
    # Map
    "map.title": {"id": "Peta distribusi sembako", "en": "Sembako delivery map"},
    "map.sources": {"id": "Sumber logistik", "en": "Supply sources"},
    "map.bases": {"id": "Pangkalan", "en": "Bases"},
    "map.unserved": {"id": "Tidak terlayani", "en": "Not served"},
    "map.reason": {"id": "Alasan", "en": "Reason"},
    "map.served": {"id": "Rute dan titik antar", "en": "Routes and deliveries"},
    "map.filter": {"id": "Filter", "en": "Filter"},
    "map.polsek": {"id": "Polsek (pangkalan)", "en": "Polsek (base)"},
    "map.vehicle": {"id": "Kendaraan", "en": "Vehicle"},
    "map.all": {"id": "Semua", "en": "All"},
    "map.loading_legs": {
        "id": "Garis tipis putus-putus: perjalanan ke tempat muat atau pulang",
        "en": "Thin dashed lines: runs to a loading point or back to base",
    },
    "map.stock": {"id": "Stok", "en": "Stock"},
    "map.stop": {"id": "Titik {n}", "en": "Stop {n}"},
    "map.offline_note": {
        "id": "Peta dasar memerlukan internet; rute tetap tampil tanpa internet.",
        "en": "The base map needs internet; routes show without it.",
    },
    # Summaries (summary.txt and the terminal)
    "sum.title": {"id": "Rencana {scenario} untuk {date}", "en": "Plan {scenario} for {date}"},
    "sum.households": {
        "id": "Rumah tangga: {total}  terlayani: {served}  tidak terlayani: {unserved}",
        "en": "Households: {total}  served: {served}  unserved: {unserved}",
    },
    "sum.packages": {
        "id": "Paket diantar: {packages}  kendaraan dipakai: {vehicles}",
        "en": "Packages delivered: {packages}  vehicles used: {vehicles}",
    },
    "sum.distance": {
        "id": "Jarak: {km} km  waktu rute: {hours} jam",
        "en": "Distance: {km} km  route time: {hours} h",
    },
    "sum.line": {
        "id": "Rumah tangga {total}: terlayani {served}, tidak terlayani {unserved}; "
        "paket {packages}; {km} km, {hours} jam-kendaraan",
        "en": "Households {total}: served {served}, unserved {unserved}; "
        "packages {packages}; {km} km, {hours} vehicle-hours",
    },
    "sum.unserved_by_reason": {"id": "Tidak terlayani per alasan:", "en": "Unserved by reason:"},
    "sum.unserved_reason": {
        "id": "tidak terlayani {reason}: {n} — {text}",
        "en": "unserved {reason}: {n} — {text}",
    },
    "sum.stock": {"id": "Stok per sumber:", "en": "Stock by source:"},
    "sum.stock_line": {"id": "terpakai {used}  sisa {left}", "en": "used {used}  left {left}"},
    "sum.hubs": {"id": "Stok di hub:", "en": "Stock at hubs:"},
    "sum.hub_line": {
        "id": "diterima {received} mulai {first}  dimuat {loaded}  sisa {left}",
        "en": "received {received} from {first}  loaded {loaded}  left {left}",
    },
    "sum.shortfall": {
        "id": "Kekurangan (yang masih dibutuhkan untuk rumah tangga yang tak kebagian stok):",
        "en": "Shortfall (more needed to serve everyone left out for stock):",
    },
    "sum.hints": {
        "id": "Yang akan melayani lebih banyak rumah tangga (masing-masing diuji ulang):",
        "en": "What would serve more households (each checked by re-planning):",
    },
    "sum.short_of": {"id": "kurang {item}: {n}", "en": "short of {item}: {n}"},
    "sum.hint": {"id": "saran: {text}", "en": "hint: {text}"},
    "hint.stock_routed": {
        "id": "+{amount} {item} di sumber {source} akan melayani penuh {n} rumah tangga lagi",
        "en": "+{amount} {item} at source {source} would serve {n} more household(s) in full",
    },
    "hint.stock_allocated": {
        "id": "+{amount} {item} di sumber {source} cukup untuk {n} rumah tangga lagi, tetapi "
        "armada hari ini tidak punya waktu untuk mengantarnya",
        "en": "+{amount} {item} at source {source} would supply {n} more household(s), but "
        "today's fleet has no time left to deliver them",
    },
    "hint.vehicle": {
        "id": "satu {kind} lagi di pangkalan {base} akan melayani {n} rumah tangga lagi",
        "en": "one more {kind} at base {base} would serve {n} more household(s)",
    },
    "hint.window": {
        "id": "periksa jam antar dengan rumah tangga {who} (atau jam buka gedung): {detail}",
        "en": "check the delivery windows with household(s) {who} (or the building's access "
        "hours): {detail}",
    },
    "hint.capacity": {
        "id": "rumah tangga {who} tidak dapat diangkut kendaraan mana pun yang boleh masuk; "
        "datangkan kendaraan lebih besar dari jenis yang boleh, atau perbaiki ukuran "
        "barang: {detail}",
        "en": "household(s) {who} cannot be carried by any vehicle allowed there; bring a "
        "larger vehicle of an allowed kind, or correct the item sizes: {detail}",
    },
    "hint.access": {
        "id": "tidak ada kendaraan yang boleh melayani rumah tangga {who}; tambahkan kendaraan "
        "dari jenis yang boleh di sana, atau yang boleh memuat di sumber yang punya "
        "barangnya: {detail}",
        "en": "no vehicle may serve household(s) {who}; add a vehicle of a kind allowed there "
        "or one that may load at a source with their items: {detail}",
    },
    "hint.more": {"id": "{ids} dan {n} lainnya", "en": "{ids} and {n} more"},
    "sum.trips": {"id": "Perjalanan:", "en": "Trips:"},
    "sum.fairness": {
        "id": "Keadilan per {by}: terlayani {overall} dari yang perlu; terendah {low} ({area}), "
        "tertinggi {high}; selisih {gap} poin; indeks Jain {jain}{floor}",
        "en": "Fairness by {by}: {overall} of due households served; lowest {low} ({area}), "
        "highest {high}; gap {gap} points; Jain index {jain}{floor}",
    },
    "sum.fairness_floor": {
        "id": " (ditegakkan: tiap wilayah minimal {floor})",
        "en": " (enforced: every area at least {floor})",
    },
    "sum.fairness_area": {
        "id": "{area}: {served} dari {due} ({share})",
        "en": "{area}: {served} of {due} ({share})",
    },
    "sum.wrote": {"id": "{n} berkas ditulis ke {path}", "en": "Wrote {n} file(s) to {path}"},
    "col.vehicle": {"id": "kendaraan", "en": "vehicle"},
    "col.kind": {"id": "jenis", "en": "kind"},
    "col.trips": {"id": "rit", "en": "trips"},
    "col.stops": {"id": "titik", "en": "stops"},
    "col.packages": {"id": "paket", "en": "packages"},
    "col.km": {"id": "km", "en": "km"},
    "col.hours": {"id": "jam", "en": "hours"},
    "col.out_back": {"id": "berangkat-kembali", "en": "out-back"},
    "progress.solving": {"id": "Mencari rencana", "en": "Searching for a plan"},
    "progress.best": {
        "id": "rencana terbaik: {served} rumah tangga terlayani, biaya {objective}",
        "en": "best plan: {served} households served, cost {objective}",
    },
    "progress.parts": {
        "id": "bagian {done}/{total}: {served} rumah tangga terlayani",
        "en": "parts {done}/{total}: {served} households served",
    },
    "progress.none_yet": {"id": "belum ada rencana", "en": "no plan yet"},
    # Vehicle kinds
    "kind.motorbike": {"id": "sepeda motor", "en": "motorbike"},
    "kind.car": {"id": "mobil", "en": "car"},
    "kind.van": {"id": "mobil boks", "en": "van"},
    "kind.truck": {"id": "truk", "en": "truck"},
    "kind.on_foot": {"id": "jalan kaki", "en": "on foot"},
    # Item kinds without a description in the scenario
    "item.standard": {"id": "paket sembako", "en": "sembako package"},
    # Why a household is not served (keys match plan.UnservedReason)
    "reason.stock_shortfall": {
        "id": "stok tidak cukup di sumber mana pun yang boleh memasoknya",
        "en": "not enough stock at any source it may be supplied from",
    },
    "reason.fleet_capacity": {
        "id": "kendaraan tidak punya waktu atau ruang lagi hari ini",
        "en": "the vehicles had no time or room left for it today",
    },
    "reason.no_eligible_vehicle": {
        "id": "tidak ada kendaraan yang boleh menjangkaunya (aturan akses, pemuatan)",
        "en": "no vehicle allowed to reach it (access rules, loading)",
    },
    "reason.time_window": {
        "id": "tidak ada kendaraan yang bisa tiba dalam jendela waktunya",
        "en": "no vehicle can arrive within its delivery time window",
    },
    "reason.exceeds_vehicle_capacity": {
        "id": "kebutuhannya melebihi daya angkut kendaraan yang diizinkan",
        "en": "needs more than any allowed vehicle can carry",
    },
    "reason.nothing_needed": {
        "id": "rumah tangga ini tidak membutuhkan barang",
        "en": "the household needs no items",
    },
    # The coordinator's web page (ktj-route serve)
    "web.title": {"id": "Perencana distribusi sembako", "en": "Sembako delivery planner"},
    "web.lang_other": {"id": "English", "en": "Bahasa Indonesia"},
    "web.login": {"id": "Masuk", "en": "Log in"},
    "web.logout": {"id": "Keluar", "en": "Log out"},
    "web.token": {"id": "Token akses", "en": "Access token"},
    "web.token_help": {
        "id": "Token diberikan oleh pengelola layanan ini.",
        "en": "The token is given by whoever runs this service.",
    },
    "web.bad_token": {"id": "Token tidak dikenal.", "en": "Unknown token."},
    "web.stale_form": {
        "id": "Formulir kedaluwarsa; silakan coba lagi.",
        "en": "The form expired; please try again.",
    },
    "web.signed_in": {"id": "Masuk sebagai {user}", "en": "Signed in as {user}"},
    "web.upload": {"id": "Unggah data hari ini", "en": "Upload the day's data"},
    "web.upload_help": {
        "id": "Pilih berkas skenario (.yaml) bersama tabel yang disebutnya "
        "(rumah tangga, kendaraan: .csv atau .xlsx).",
        "en": "Choose the scenario file (.yaml) together with the tables it names "
        "(households, vehicles: .csv or .xlsx).",
    },
    "web.files": {"id": "Berkas", "en": "Files"},
    "web.time_limit": {
        "id": "Waktu pencarian (detik, kosong = dari skenario)",
        "en": "Search time (seconds, empty = the scenario's)",
    },
    "web.redact": {
        "id": "Samarkan nama, telepon dan alamat",
        "en": "Hide names, phones and addresses",
    },
    "web.plan": {"id": "Buat rencana", "en": "Make the plan"},
    "web.sending": {"id": "Mengirim dan memeriksa berkas…", "en": "Sending and checking files…"},
    "web.problems": {"id": "Masalah pada data", "en": "Problems in the data"},
    "web.problems_count": {
        "id": "{n} masalah ditemukan. Perbaiki semuanya lalu unggah lagi.",
        "en": "{n} problem(s) found. Fix them all, then upload again.",
    },
    "web.col.file": {"id": "Berkas", "en": "File"},
    "web.col.row": {"id": "Baris", "en": "Row"},
    "web.col.field": {"id": "Kolom", "en": "Field"},
    "web.col.value": {"id": "Nilai", "en": "Value"},
    "web.col.problem": {"id": "Masalah", "en": "Problem"},
    "web.col.fix": {"id": "Cara memperbaiki", "en": "How to fix"},
    "web.warnings": {"id": "Peringatan", "en": "Warnings"},
    "web.progress": {"id": "Membuat rencana", "en": "Making the plan"},
    "web.stage.queued": {"id": "menunggu giliran", "en": "waiting for a planner"},
    "web.stage.loading": {"id": "membaca data", "en": "reading the data"},
    "web.stage.search": {
        "id": "mencari rute: {served} dari {households} rumah tangga terlayani",
        "en": "searching routes: {served} of {households} households served",
    },
    "web.stage.parts": {
        "id": "mencari rute per bagian: {served} dari {households} rumah tangga terlayani",
        "en": "searching routes by parts: {served} of {households} households served",
    },
    "web.stage.writing": {"id": "menulis lembar dan peta", "en": "writing sheets and map"},
    "web.stage.done": {"id": "selesai", "en": "done"},
    "web.failed": {"id": "Rencana gagal dibuat", "en": "The plan could not be made"},
    "web.result": {"id": "Rencana hari ini", "en": "Today's plan"},
    "web.totals": {
        "id": "{served} dari {households} rumah tangga terlayani, {packages} paket, "
        "{vehicles} kendaraan, {km} km",
        "en": "{served} of {households} households served, {packages} packages, "
        "{vehicles} vehicles, {km} km",
    },
    "web.map": {"id": "Peta", "en": "Map"},
    "web.sheets": {"id": "Lembar petugas", "en": "Officers' sheets"},
    "web.zip": {"id": "Unduh semua berkas (zip)", "en": "Download every file (zip)"},
    "web.downloads": {"id": "Berkas satu per satu", "en": "Files one by one"},
    "web.jobs": {"id": "Rencana saya", "en": "My plans"},
    "web.no_jobs": {"id": "Belum ada rencana.", "en": "No plans yet."},
    "web.open": {"id": "Buka", "en": "Open"},
    "web.status.queued": {"id": "menunggu", "en": "queued"},
    "web.status.running": {"id": "berjalan", "en": "running"},
    "web.status.done": {"id": "selesai", "en": "done"},
    "web.status.failed": {"id": "gagal", "en": "failed"},
    "web.busy": {
        "id": "Semua perencana sedang sibuk. Coba lagi dalam {s} detik.",
        "en": "Every planner is busy. Try again in {s} seconds.",
    },
    "web.error": {"id": "Permintaan ditolak: {detail}", "en": "Request refused: {detail}"},
    "web.choose_files": {"id": "Pilih berkas dulu.", "en": "Choose the files first."},
}


def check_lang(lang: str) -> str:
    """``lang`` if the catalogue has it; a ``ValueError`` naming the choices otherwise."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of: {', '.join(LANGS)}")
    return lang


def t(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = MESSAGES[key][check_lang(lang)]
    return text.format(**values) if values else text


class Translator:
    """``t`` bound to one language, for templates (``tr('sheet.title')``)."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)

    def __call__(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def has(self, key: str) -> bool:
        return key in MESSAGES
