"""The closed word classes the extractor reads phrases with: quantifiers, comparatives, transparent nouns ...

Each list is a decision about English in abstracts of this field, kept in one place so it can be reviewed:
what a phrase drops (``QUANTIFIERS``), what it keeps aside as a degree (``UP_WORDS``, ``DOWN_WORDS``,
``DEGREE_WORDS``) and which level a degree word states (``DEGREE_LEVEL``: ``lower`` is low), what it looks
through (``TRANSPARENT``: ``levels of IL-6`` is IL-6), what marks a class word that an enumeration replaces
(``UMBRELLA``), and where a noun phrase ends (``STOP``, ``VERB_LIKE``; a ``FINITE`` verb never belongs to one).
"""

from __future__ import annotations

from exokg.claims.tokens import word_set

QUANTIFIERS = word_set("""
    a an the this these that those their its our his her some any each every such several many various numerous
    multiple different other another certain few much most all both considerable compelling significant great
    substantial notable remarkable crucial important key major critical novel new promising diverse specific
    particular distinct unique potential possible putative obvious clear strong marked dramatic prominent main
    principal broad wide whole entire overall current recent
""")
UP_WORDS = word_set("""
    more higher greater increased enhanced improved better elevated stronger augmented superior upregulated
    up-regulated
""")
DOWN_WORDS = word_set("""
    less lower fewer reduced decreased diminished weaker attenuated inferior downregulated down-regulated
""")
DEGREE_WORDS = word_set("""
    low high poor limited good excellent minimal negligible weak strong
""")
NEGATORS = ("no", "not", "without", "non", "neither", "nor", "lack", "lacking", "absence", "absent", "free", "devoid")
TRANSPARENT = word_set("""
    level levels expression expressions amount amounts number numbers concentration concentrations content risk
    risks incidence occurrence development onset progression severity extent degree rate rates symptom symptoms
    sign signs type types kind kinds form forms series range variety panel set class classes subset subsets
    subtype subtypes family spectrum majority one some many most use usage application applications
    administration injection injections infusion transplantation delivery production secretion release
    accumulation treatment pretreatment supplementation exposure incubation transfer co-culture coculture
    combination group array plethora host multitude
""")
SUBJECT_TRANSPARENT = word_set("""
    treatment pretreatment supplementation exposure incubation co-culture coculture combination administration
    injection infusion transplantation delivery use usage application
""")
RELATIONAL = word_set("""
    mechanism mechanisms role roles basis part parts component components aspect aspects hallmark hallmarks mode
    modes way ways means
""")
UMBRELLA = word_set("""
    limitation limitations advantage advantages drawback drawbacks disadvantage disadvantages benefit benefits
    merit merits strength strengths shortcoming shortcomings property properties characteristic characteristics
    feature features factor factors molecule molecules component components cargo cargoes content contents
    condition conditions disease diseases disorder disorders illness illnesses pathology pathologies challenge
    challenges problem problems issue issues
""")
GENERIC = word_set("""
    effect effects role roles level levels expression function functions activity activities factor factors
    mechanism mechanisms process processes cell cells tissue tissues change changes outcome outcomes result
    results study studies evidence model models group groups treatment approach strategy it them they this that
    way ways part parts addition ability capacity potential number series type types use application
    applications
""")
AGENT_NOUNS = {"mediator": "mediates", "mediators": "mediates", "regulator": "mediates", "regulators": "mediates",
               "modulator": "mediates", "modulators": "mediates", "inhibitor": "decreases", "inhibitors": "decreases",
               "suppressor": "decreases", "suppressors": "decreases", "promoter": "increases", "promoters": "increases",
               "inducer": "increases", "inducers": "increases", "activator": "increases", "activators": "increases",
               "enhancer": "increases", "enhancers": "increases"}
ENUMERATORS = (("such", "as"), ("including",), ("e", ".", "g", "."), ("e", "g"), ("for", "example"), ("namely",),
               ("especially",), ("particularly",), ("notably",), ("like",))
REFINERS = (("more", "specifically"), ("specifically",), ("i", ".", "e", "."), ("in", "particular"))
STOP = word_set("""
    in on at with by through via after during within from to into under against toward towards upon among across
    following because due when while whereas although though which that who whom whose where whereby thereby
    thus leading resulting suggesting indicating implying whether if than over versus vs compared relative as
    before since until unlike
""")
VERB_LIKE = word_set("""
    may might can could will would should must do does did has have had is are was were be been offer offers
    offered provide provides provided show shows showed exhibit exhibits exhibited display displays displayed
    demonstrate demonstrates demonstrated reveal reveals revealed indicate indicates indicated suggest suggests
    suggested remain remains remained become becomes became appear appears appeared seem seems seemed require
    requires required need needs allow allows allowed enable enables enabled permit permits make makes made take
    takes took open opens opened pave paves paved warrant warrants highlight highlights highlighted support
    supports supported underscore underscores involve involves target targets targeted include includes included
    represent represents constitute constitutes
""")
FINITE = word_set("""
    is are was were am be been being has have had does did do may might can could will would shall should must
    remain remains remained seem seems seemed appear appears appeared become becomes became
""")
DEGREE_LEVEL = {
    **dict.fromkeys(["low", "lower", "lowest", "reduced", "decreased", "less", "least", "minimal", "poor", "poorer",
                     "limited", "weak", "weaker", "negligible", "diminished", "attenuated"], "low"),
    **dict.fromkeys(["high", "higher", "highest", "increased", "greater", "enhanced", "strong", "stronger", "good",
                     "better", "excellent", "elevated", "superior", "augmented", "more"], "high"),
}
POSTFIX_TRANSPARENT = word_set("""
    level levels expression concentration concentrations secretion production release activity content amount
    amounts abundance signalling signaling pathway
""")
SUBJECT_POSTFIX = word_set("""
    therapy therapies treatment treatments administration injection injections infusion transplantation
    supplementation application intervention
""")
GREEK = {"\u03b1": "alpha", "\u03b2": "beta", "\u03b3": "gamma", "\u03b4": "delta", "\u03ba": "kappa", "\u03bc": "mu"}
ADVERB_TAIL = word_set("also further still then thus therefore only alone together more less most")
COMPARATOR_STARTS = (("than",), ("over",), ("compared", "with"), ("compared", "to"), ("relative", "to"),
                     ("versus",), ("vs",), ("in", "comparison", "with"), ("in", "comparison", "to"))
LOSS_OF_FUNCTION = word_set("""
    knockdown knock-down silencing inhibition depletion deletion blockade blocking loss absence deficiency
    knockout antagonism neutralization neutralisation removal
""")
PARENT_WORDS = word_set("""
    parent parental counterpart counterparts source donor producing original live living corresponding
""")
