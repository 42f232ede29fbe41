"""Fixed vocabularies of the generator: contract columns, currencies, places, catalogue."""

from __future__ import annotations

import numpy as np

COLUMNS: dict[str, list[str]] = {
    "customers": [
        "customer_id", "email", "phone", "gender", "birth_date", "registered_at", "updated_at",
        "country_code", "region", "city", "work_city", "acquisition_channel", "customer_type",
        "company_type", "education", "occupation", "marital_status", "children_count",
        "annual_income", "sms_opt_in", "email_opt_in",
    ],
    "orders": [
        "order_id", "customer_id", "ordered_at", "status", "currency", "order_total",
        "discount_total", "coupon_code", "sales_channel", "updated_at",
    ],
    "order_items": ["order_item_id", "order_id", "product_id", "quantity", "unit_price"],
    "products": ["product_id", "product_name", "category", "list_price"],
    "sessions": [
        "session_id", "customer_id", "started_at", "ended_at", "device_type", "page_views",
        "traffic_source",
    ],
    "carts": [
        "cart_id", "customer_id", "created_at", "updated_at", "completed_order_id",
        "cart_value", "currency", "item_count",
    ],
}
TABLES = list(COLUMNS)

# Currency of an order (None = null = reporting currency) and the approximate USD value of
# one unit, used only to make local-currency amounts plausible.
CURRENCIES: list[str | None] = [None, "USD", "EUR", "GBP", "CAD", "IRR", "TRY", "AED", "INR",
                                "BRL"]
CURRENCY_P = [0.50, 0.30, 0.07, 0.04, 0.03, 0.02, 0.01, 0.01, 0.01, 0.01]
USD_PER_UNIT = np.array([1.0, 1.0, 1.08, 1.27, 0.73, 1 / 42_000, 0.031, 0.2723, 0.012, 0.18])

STATUSES = ["completed", "delivered", "shipped", "paid", "placed", "cancelled", "refunded",
            "returned", "failed"]
STATUS_P = [0.45, 0.15, 0.10, 0.07, 0.06, 0.08, 0.03, 0.03, 0.03]
COUNTED_STATUSES = {"placed", "paid", "shipped", "delivered", "completed"}
UNKNOWN_STATUSES = ["pending_review", "on-hold", "lost_in_transit"]

SALES_CHANNELS = ["web", "app", "store", "phone"]
SALES_CHANNEL_P = [0.55, 0.30, 0.10, 0.05]

COUPONS = ["SAVE10", "WELCOME15", "SUMMER20", "VIP25", "FREESHIP", "BF2024", "save10"]

GENDERS: list[str | None] = ["F", "f", "female", "Woman", " F ", "M", "m", "male", "Man",
                             "Male", "other", "non-binary", "", None]
GENDER_P = [0.10, 0.04, 0.14, 0.08, 0.02, 0.10, 0.04, 0.14, 0.08, 0.04, 0.03, 0.02, 0.05,
            0.12]

CHANNELS: list[str | None] = ["sms", "SMS", " Search", "search", "instagram", "Instagram ",
                              "referral", "billboard", "tv", "web_banner", "exhibition",
                              "google ads", "Google Ads", "??", "n/a", None]
CHANNEL_P = [0.10, 0.05, 0.06, 0.10, 0.12, 0.05, 0.10, 0.04, 0.05, 0.08, 0.03, 0.10, 0.02,
             0.01, 0.01, 0.08]

CUSTOMER_TYPES: list[str | None] = ["individual", "Individual", "INDIVIDUAL", "company",
                                    "Company", None]
CUSTOMER_TYPE_P = [0.45, 0.12, 0.02, 0.07, 0.02, 0.32]
COMPANY_TYPES: list[str | None] = ["government", "private", "semi_private", "Semi-Private",
                                   " Private", None]
COMPANY_TYPE_P = [0.25, 0.35, 0.15, 0.10, 0.05, 0.10]

EDUCATION: list[str | None] = ["high school", "diploma", "bachelor", "Bachelor's", "master",
                               "Master", "phd", "PhD", None]
EDUCATION_P = [0.12, 0.10, 0.18, 0.06, 0.10, 0.04, 0.03, 0.02, 0.35]
OCCUPATIONS: list[str | None] = ["engineer", "teacher", "student", "self-employed", "manager",
                                 "nurse", "retired", "unemployed", "Doctor", "driver", None]
OCCUPATION_P = [0.08, 0.06, 0.10, 0.07, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03, 0.47]
MARITAL: list[str | None] = ["single", "married", "Married", "divorced", "widowed", " Single",
                             None]
MARITAL_P = [0.22, 0.25, 0.08, 0.05, 0.02, 0.03, 0.35]

BOOLS_TRUE = ["true", "1", "yes", "Y", "T", "TRUE", "Yes"]
BOOLS_FALSE = ["false", "0", "no", "N", "F", "FALSE", "No"]
BOOL_JUNK = ["maybe", "?", "N/A", "-"]

DEVICES: list[str | None] = ["desktop", "mobile", "tablet", "Mobile", "Desktop ", " tablet",
                             "smart-tv", None]
DEVICE_P = [0.35, 0.38, 0.06, 0.07, 0.04, 0.02, 0.02, 0.06]
TRAFFIC: list[str | None] = ["google", "direct", "sms", "instagram", "email", "referral",
                             "Google", None]
TRAFFIC_P = [0.28, 0.28, 0.10, 0.10, 0.09, 0.05, 0.03, 0.07]

EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "example.com", "mail.ir",
                 "web.de"]
FIRST_NAMES = ["sara", "ali", "maryam", "reza", "john", "emma", "lukas", "fatemeh", "omid",
               "anna", "mehdi", "zahra", "james", "olivia", "hassan", "leila"]
BAD_EMAILS = ["not-an-email", "a@b", "", "user@@example..com", "@example.com", "john.doe"]

# (country code, weight, phone country prefix, [(region, city), ...])
COUNTRIES: list[tuple[str, float, str, list[tuple[str, str]]]] = [
    ("IR", 0.30, "98", [("Tehran", "Tehran"), ("Tehran", "Karaj"), ("Isfahan", "Isfahan"),
                        ("Fars", "Shiraz"), ("Razavi Khorasan", "Mashhad"),
                        ("East Azerbaijan", "Tabriz")]),
    ("US", 0.18, "1", [("NY", "New York"), ("CA", "Los Angeles"), ("CA", "San Francisco"),
                       ("TX", "Austin"), ("IL", "Chicago"), ("WA", "Seattle")]),
    ("DE", 0.10, "49", [("Berlin", "Berlin"), ("Brandenburg", "Potsdam"),
                        ("Bavaria", "Munich"), ("NRW", "Köln")]),
    ("GB", 0.07, "44", [("England", "London"), ("England", "Manchester"),
                        ("Scotland", "Edinburgh")]),
    ("FR", 0.05, "33", [("Île-de-France", "Paris"), ("Auvergne-Rhône-Alpes", "Lyon")]),
    ("CA", 0.05, "1", [("Ontario", "Toronto"), ("Quebec", "Montréal"),
                       ("British Columbia", "Vancouver")]),
    ("TR", 0.06, "90", [("Istanbul", "Istanbul"), ("Ankara", "Ankara")]),
    ("AE", 0.05, "971", [("Dubai", "Dubai"), ("Abu Dhabi", "Abu Dhabi")]),
    ("IN", 0.04, "91", [("Maharashtra", "Mumbai"), ("Karnataka", "Bengaluru")]),
    ("BR", 0.03, "55", [("São Paulo", "São Paulo"), ("Rio de Janeiro", "Rio de Janeiro")]),
    ("NL", 0.03, "31", [("North Holland", "Amsterdam")]),
    ("CH", 0.02, "41", [("Zürich", "Zürich")]),
    ("AT", 0.02, "43", [("Vienna", "Vienna")]),
]
COUNTRY_DIRT = [" us ", "ir", " De", "gb ", "XX", "zz", ""]

CATEGORIES: dict[str, tuple[float, list[str]]] = {
    # category: (median list price in USD, product nouns)
    "winter sports": (120.0, ["ski", "snowboard", "ski goggles", "ski poles", "snow boots",
                              "helmet"]),
    "mountaineering": (90.0, ["rope", "ice axe", "crampons", "harness", "tent",
                              "sleeping bag"]),
    "mobile internet": (25.0, ["data plan 10GB", "data plan 50GB", "sim card",
                               "pocket router", "roaming pack"]),
    "clothing": (40.0, ["jacket", "fleece", "t-shirt", "trousers", "gloves", "socks"]),
    "books": (15.0, ["guide book", "novel", "cookbook", "atlas", "map set"]),
    "electronics": (150.0, ["headphones", "smartwatch", "power bank", "action camera",
                            "gps device"]),
    "home": (35.0, ["mug", "lamp", "blanket", "thermos", "cushion"]),
}
ADJECTIVES = ["classic", "pro", "light", "alpine", "urban", "eco", "premium", "basic"]
N_PRODUCTS = 120
CATALOGUE_SEED = 20_250_701  # the catalogue is the same whatever --seed is


def catalogue() -> tuple[list[str], list[str], list[str], np.ndarray, np.ndarray]:
    """Fixed product catalogue: ids, names, categories, list prices (cents), popularity."""
    rng = np.random.default_rng(CATALOGUE_SEED)
    cats = list(CATEGORIES)
    ids: list[str] = []
    names: list[str] = []
    categories: list[str] = []
    prices = np.zeros(N_PRODUCTS, dtype=np.int64)
    for k in range(N_PRODUCTS):  # a loop over the fixed catalogue, not over data rows
        cat = cats[k % len(cats)]
        median, nouns = CATEGORIES[cat]
        ids.append(f"P{k + 1:04d}")
        names.append(f"{ADJECTIVES[(k // len(cats)) % len(ADJECTIVES)]} "
                     f"{nouns[(k // 3) % len(nouns)]}")
        categories.append(cat)
        prices[k] = max(99, int(round(median * float(rng.lognormal(0.0, 0.6)), 0)) * 100 - 1)
    pop = 1.0 / (np.arange(N_PRODUCTS) + 8.0)
    pop = pop[rng.permutation(N_PRODUCTS)]
    return ids, names, categories, prices, pop / pop.sum()
