"""Topic lexicons per life domain for the durable-fact recogniser (`zenbrain.extract.facts`).

Each lexicon names the words that make a slot recognisable whatever the wording around them:
car brands, pet species and breeds, kinship and partner words, jobs and workplace words, diets,
allergens, exercise, hobbies, languages, drinks, commute modes, sports teams. Pure data, no logic
beyond building alternations; English only.
"""

from __future__ import annotations

import re


def words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


def alternation(items) -> str:
    """A regex alternation of `items`, longest first, each escaped (spaces match any whitespace)."""
    return "|".join(re.escape(i).replace(r"\ ", r"\s+")
                    for i in sorted(set(items), key=len, reverse=True))


# ---- pets ------------------------------------------------------------------------------------
# species or breed -> species slot suffix
PET_WORDS = {
    "cat": "cat", "cats": "cat", "kitten": "cat", "kitty": "cat", "tabby": "cat", "moggy": "cat",
    "dog": "dog", "dogs": "dog", "puppy": "dog", "pup": "dog", "doggo": "dog",
    "retriever": "dog", "labrador": "dog", "lab": "dog", "poodle": "dog", "beagle": "dog",
    "terrier": "dog", "spaniel": "dog", "collie": "dog", "husky": "dog", "corgi": "dog",
    "dachshund": "dog", "pug": "dog", "bulldog": "dog", "greyhound": "dog", "whippet": "dog",
    "labradoodle": "dog", "goldendoodle": "dog", "cockapoo": "dog", "chihuahua": "dog",
    "schnauzer": "dog", "shepherd": "dog", "rottweiler": "dog", "boxer": "dog",
    "hamster": "hamster", "rabbit": "rabbit", "bunny": "rabbit", "parrot": "parrot",
    "budgie": "budgie", "horse": "horse", "pony": "horse", "turtle": "turtle",
    "tortoise": "tortoise", "goldfish": "goldfish", "snake": "snake", "lizard": "lizard",
    "ferret": "ferret", "guinea pig": "guinea_pig", "gecko": "gecko", "cockatiel": "cockatiel",
    "bearded dragon": "bearded_dragon", "chinchilla": "chinchilla", "axolotl": "axolotl",
    "rat": "rat", "hedgehog": "hedgehog",
}
PET = alternation(PET_WORDS)

# ---- family and partner -----------------------------------------------------------------------
KIN = {
    "sister": "sibling", "brother": "sibling", "sibling": "sibling", "twin": "sibling",
    "half-sister": "sibling", "half-brother": "sibling", "stepsister": "sibling",
    "stepbrother": "sibling", "sis": "sibling", "bro": "sibling",
    "mom": "parent", "mum": "parent", "mother": "parent", "dad": "parent", "father": "parent",
    "stepmother": "parent", "stepfather": "parent", "stepmom": "parent", "stepdad": "parent",
    "son": "child", "daughter": "child", "kid": "child", "child": "child", "stepson": "child",
    "stepdaughter": "child", "toddler": "child", "little one": "child", "eldest": "child",
    "youngest": "child",
}
KINSHIP = alternation(KIN)
PARTNER_WORDS = ["wife", "husband", "partner", "spouse", "boyfriend", "girlfriend", "fiancé",
                 "fiancée", "fiance", "fiancee", "hubby", "missus", "bf", "gf", "other half",
                 "significant other"]
PARTNER = alternation(PARTNER_WORDS)
# People who are not the user: a clause about them states nothing about the user.
OTHER_PEOPLE = alternation([
    "friend", "friends", "bestie", "best friend", "buddy", "mate", "pal", "coworker", "co-worker",
    "colleague", "colleagues", "neighbour", "neighbor", "neighbours", "neighbors", "boss",
    "manager", "roommate", "flatmate", "housemate", "cousin", "aunt", "uncle", "niece", "nephew",
    "grandma", "grandpa", "grandmother", "grandfather", "in-laws", "teammate", "classmate",
    "client", "landlord", "ex", "team", "doctor", "therapist", "teacher", "tutor", "coach",
    "parents", "kids", "children", "family", *KIN, *PARTNER_WORDS])
# Modifiers that make a possession former, imagined or someone else's: no fact.
FORMER = words("ex former late previous old dream future next would-be imaginary childhood "
               "first last deceased departed")

# ---- cars ------------------------------------------------------------------------------------
CAR_BRANDS = {b.lower(): b for b in words(
    "Toyota Honda Tesla BMW Volkswagen VW Audi Subaru Mazda Kia Hyundai Volvo Nissan Mercedes "
    "Mercedes-Benz Chevy Chevrolet Renault Peugeot Skoda Škoda Polestar Lexus Porsche Citroen "
    "Citroën Dacia Opel Vauxhall Rivian Suzuki Mitsubishi Cupra Lucid Infiniti Acura Cadillac "
    "Buick Chrysler Ferrari Lamborghini Maserati Alfa Lancia Saab Tata BYD Genesis Prius "
    "Fiat Jeep Mini Ford Seat Jaguar Dodge Smart Land Range")}
# Brands that are also common words: recognised only when capitalised.
CAR_AMBIGUOUS = words("mini ford seat jaguar dodge smart land range genesis lucid alfa")
CAR = alternation(CAR_BRANDS)
CAR_NOUNS = alternation(["car", "suv", "truck", "van", "hatchback", "sedan", "saloon", "ev",
                         "pickup", "pick-up", "minivan", "estate", "convertible", "motorbike",
                         "motorcycle", "camper", "campervan", "jeep"])

# ---- work ------------------------------------------------------------------------------------
WORK_PERIODS = alternation(["shift", "day", "week", "month", "first day", "first week",
                            "first month", "night shift", "double shift", "morning shift",
                            "onboarding", "probation", "workday", "work day", "meeting",
                            "standup", "stand-up", "team meeting", "all-hands"])
MORE_JOBS = words("""paralegal project manager engineer nurse teacher developer analyst
    consultant cashier barista accountant designer architect scientist lawyer doctor
    pharmacist dentist electrician plumber carpenter mechanic chef cook waiter waitress
    bartender manager director supervisor foreman coordinator specialist technician
    associate intern apprentice resident registrar lecturer professor tutor trainer
    planner administrator officer clerk representative rep assistant receptionist
    salesman saleswoman sales developer programmer engineer product owner scrum master
    hygienist paramedic firefighter teller underwriter auditor actuary estimator
    superintendent inspector dispatcher nanny carer caregiver courier driver""")

# ---- diet, allergies, health -----------------------------------------------------------------
NO_MEAT = {"meat": "vegetarian", "red meat": "no red meat", "animal products": "vegan",
           "meat or fish": "vegetarian", "meat or dairy": "vegan", "dairy": "dairy-free", "gluten": "gluten-free",
           "pork": "no pork", "sugar": "sugar-free", "carbs": "low-carb"}
NO_MEAT_ALT = alternation(NO_MEAT)
ALLERGENS = words("""nuts peanuts peanut walnuts almonds cashews hazelnuts pistachios shellfish
    shrimp prawns crab lobster eggs egg dairy milk lactose gluten wheat soy soya sesame fish
    penicillin amoxicillin aspirin ibuprofen pollen dust mold mould latex bees wasps cats dogs
    horses strawberries kiwi celery mustard sulfites sulphites coconut""")
ALLERGEN = alternation(ALLERGENS | {"tree nuts", "cow's milk", "hay fever"})
REACTIONS = r"(?:hives|a\s+rash|rashes|a\s+(?:bad\s+|severe\s+)?reaction|anaphylaxis|an\s+allergic\s+reaction)"

# ---- exercise, hobbies, languages ------------------------------------------------------------
EXERCISE = {
    "spin": "spin class", "spin class": "spin class", "spin classes": "spin class",
    "spinning": "spin class", "the gym": "gym", "gym": "gym", "crossfit": "crossfit",
    "yoga": "yoga", "hot yoga": "hot yoga", "pilates": "pilates", "barre": "barre",
    "zumba": "zumba", "hiit": "hiit", "bootcamp": "bootcamp", "boot camp": "bootcamp",
    "kickboxing": "kickboxing", "boxing": "boxing", "swimming": "swimming", "running": "running",
    "jogging": "running", "lifting": "weightlifting", "weightlifting": "weightlifting",
    "weights": "weightlifting", "powerlifting": "powerlifting", "calisthenics": "calisthenics",
    "rowing": "rowing", "aqua aerobics": "aqua aerobics", "aerobics": "aerobics",
    "cycling": "cycling", "climbing": "climbing", "bouldering": "bouldering",
    "park run": "parkrun", "parkrun": "parkrun", "cardio": "cardio", "spin studio": "spin class",
    "martial arts": "martial arts", "jiu-jitsu": "jiu-jitsu", "bjj": "jiu-jitsu",
}
EXERCISE_ALT = alternation(EXERCISE)
HOBBY_NOUNS = alternation([
    "pottery", "ceramics", "chess", "book", "knitting", "crochet", "painting", "drawing",
    "photography", "choir", "band", "orchestra", "salsa", "dance", "dancing", "ballet",
    "tango", "improv", "drama", "theatre", "theater", "climbing", "bouldering", "running",
    "cycling", "hiking", "tennis", "padel", "squash", "badminton", "football", "soccer",
    "basketball", "volleyball", "netball", "rugby", "cricket", "baseball", "softball",
    "hockey", "golf", "swim", "swimming", "rowing", "sailing", "surf", "surfing", "ski",
    "skiing", "fencing", "archery", "judo", "karate", "taekwondo", "woodworking", "sewing",
    "quilting", "baking", "cooking", "gardening", "birdwatching", "board game", "board games",
    "d&d", "dnd", "trivia", "quiz", "pub quiz", "guitar", "piano", "violin", "cello", "drum",
    "drums", "ukulele", "saxophone", "singing", "writing", "poetry", "calligraphy", "origami",
    "embroidery", "scrapbooking", "astronomy", "chess club", "running club", "book club",
    "jigsaw", "lego", "model railway", "fishing", "kayaking", "canoeing", "volunteering"])
HOBBY_GROUPS = r"(?:class|classes|club|group|team|league|lessons?|practice|session|circle|ensemble|night|meetup)"
LANGUAGE_THINGS = alternation([
    "tutor", "teacher", "lessons", "lesson", "class", "classes", "course", "homework", "exam",
    "test", "vocabulary", "vocab", "grammar", "flashcards", "pronunciation", "accent",
    "conversation practice", "conversation group", "practice", "streak", "app", "textbook",
    "study group", "language exchange", "speaking"])

# ---- drinks and orders -----------------------------------------------------------------------
DRINKS = alternation([
    "coffee", "latte", "lattes", "flat white", "flat whites", "cappuccino", "cappuccinos",
    "espresso", "espressos", "americano", "americanos", "cortado", "cortados", "macchiato",
    "mocha", "tea", "chai", "chai latte", "matcha", "matcha latte", "green tea", "black tea",
    "herbal tea", "decaf", "cold brew", "iced coffee", "smoothie", "kombucha", "hot chocolate",
    "beer", "ipa", "lager", "stout", "wine", "red wine", "white wine", "gin and tonic", "cider",
    "whisky", "whiskey", "negroni", "margarita", "mojito", "burrito", "bagel", "sandwich",
    "salad", "poke bowl", "ramen", "pho", "pizza", "croissant"])

# ---- foods (dislikes) ------------------------------------------------------------------------
FOODS = alternation([
    "olives", "mushrooms", "cilantro", "coriander", "onions", "raw onions", "garlic", "tomatoes",
    "eggplant", "aubergine", "seafood", "fish", "sushi", "spicy food", "anchovies", "blue cheese",
    "cheese", "liver", "brussels sprouts", "beets", "beetroot", "celery", "peas", "pickles",
    "mayo", "mayonnaise", "ketchup", "mustard", "coconut", "licorice", "liquorice", "raisins",
    "tofu", "avocado", "bananas", "pineapple", "pineapple on pizza", "beer", "wine", "coffee",
    "tea", "whisky", "gin", "tequila", "pork", "lamb", "eggs", "broccoli", "kale", "spinach",
    "cauliflower", "peppers", "bell peppers", "jalapeños", "durian", "oysters", "sardines",
    "tuna", "salmon", "marmite", "vegemite", "cottage cheese", "goat cheese", "mint",
    "chocolate", "dark chocolate", "milk chocolate", "sweets", "candy", "fennel", "okra",
    "radishes", "capers", "truffle", "rhubarb", "grapefruit", "lentils", "chickpeas", "hummus",
    "curry", "spicy food", "fried food", "fast food", "energy drinks", "soda", "cola",
    "sparkling water", "milk", "oatmeal", "porridge", "quinoa", "jelly", "custard"])

# ---- commute, teams --------------------------------------------------------------------------
COMMUTE_GERUNDS = {"cycling": "bike", "biking": "bike", "walking": "foot", "driving": "car",
                   "running": "foot", "scootering": "scooter", "carpooling": "carpool",
                   "taking the bus": "bus", "taking the train": "train", "taking the tube": "subway",
                   "taking the subway": "subway", "taking the metro": "subway",
                   "taking the tram": "tram", "taking the ferry": "ferry",
                   "riding my bike": "bike", "riding the bus": "bus", "riding the train": "train",
                   "riding my scooter": "scooter", "riding my motorbike": "motorbike"}
COMMUTE_GERUND = alternation(COMMUTE_GERUNDS)
COMMUTE_MODES = {"bike": "bike", "bicycle": "bike", "e-bike": "bike", "ebike": "bike",
                 "bus": "bus", "train": "train", "tube": "subway", "subway": "subway",
                 "metro": "subway", "tram": "tram", "ferry": "ferry", "scooter": "scooter",
                 "e-scooter": "scooter", "motorbike": "motorbike", "motorcycle": "motorbike",
                 "car": "car", "foot": "foot", "light rail": "tram", "carpool": "carpool"}
COMMUTE_MODE = alternation(COMMUTE_MODES)
TEAM_SUFFIX = (r"(?:United|City|FC|F\.C\.|Rovers|Wanderers|Athletic|Hotspur|Albion|Rangers|"
               r"Celtic|Villa|Town|County|Forest|Palace|Utd|Madrid|Milan|Juventus|Ajax|Arsenal|"
               r"Chelsea|Liverpool|Everton|Barcelona|Barça|Bayern|Dortmund|Lakers|Celtics|"
               r"Warriors|Knicks|Bulls|Yankees|Mets|Red Sox|Dodgers|Cubs|Packers|Patriots|"
               r"Cowboys|Eagles|Giants|Steelers|Chiefs|49ers|Seahawks|Bruins|Leafs|Canucks|"
               r"Canadiens|Raptors|Heat|Nets|Spurs|Sixers|76ers|Jets|Bears|Broncos|Rams)")
SPORT_CONTEXT = re.compile(
    r"\b(?:game|match|season|league|playoffs?|cup|derby|fixture|score|goal|kick-?off|stadium|"
    r"football|soccer|basketball|baseball|hockey|rugby|cricket|nfl|nba|mlb|nhl|premier)\b",
    re.IGNORECASE)
