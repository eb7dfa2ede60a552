"""The states and kinds of liens and security deposits."""

from django.db import models


class LienStatus(models.TextChoices):
    # to record → recorded → (subordinated, any number of times)
    # → satisfaction pending → satisfied
    TO_RECORD = "to_record", "To record"
    RECORDED = "recorded", "Recorded"
    SUBORDINATED = "subordinated", "Subordinated"
    SATISFACTION_PENDING = "satisfaction_pending", "Satisfaction pending"
    SATISFIED = "satisfied", "Satisfied"


# A lien stands on the property in these states (the register's "open").
STANDING_LIEN_STATUSES = (
    LienStatus.RECORDED,
    LienStatus.SUBORDINATED,
    LienStatus.SATISFACTION_PENDING,
)


class InstrumentType(models.TextChoices):
    CASH = "cash", "Cash deposit"
    SURETY_BOND = "surety_bond", "Surety bond"
    INDEMNITY_BOND = "indemnity_bond", "Indemnity bond"
    BLANKET_BOND = "blanket_bond", "Blanket bond"
    CERTIFICATE_OF_DEPOSIT = "certificate_of_deposit", "Certificate of deposit"
    UTILITY_BOND = "utility_bond", "Utility bond"
    LETTER_OF_CREDIT = "letter_of_credit", "Irrevocable letter of credit"


# Instruments with an issuer or insurer who can be claimed against.
BOND_TYPES = (
    InstrumentType.SURETY_BOND,
    InstrumentType.INDEMNITY_BOND,
    InstrumentType.BLANKET_BOND,
    InstrumentType.LETTER_OF_CREDIT,
)
# Instruments the utility redeems for proceeds (with a penalty when early).
REDEEMABLE_TYPES = (
    InstrumentType.CERTIFICATE_OF_DEPOSIT,
    InstrumentType.UTILITY_BOND,
)


class InstrumentStatus(models.TextChoices):
    # held → released / refunded / applied to a final bill / redeemed
    HELD = "held", "Held"
    RELEASED = "released", "Released to the customer"
    REFUNDED = "refunded", "Refunded"
    APPLIED = "applied", "Applied to a final bill"
    REDEEMED = "redeemed", "Redeemed"


class ClaimStatus(models.TextChoices):
    # filed → in negotiation → settled → closed, or denied
    FILED = "filed", "Filed"
    IN_NEGOTIATION = "in_negotiation", "In negotiation"
    SETTLED = "settled", "Settled"
    CLOSED = "closed", "Closed"
    DENIED = "denied", "Denied"


class CorrespondenceDirection(models.TextChoices):
    INCOMING = "in", "Received from the insurer or surety"
    OUTGOING = "out", "Sent by the utility"


# Instruments that must carry an expiry date (a bank or insurer's undertaking
# runs for a term); cash and bonds with no stated term may have none.
EXPIRING_TYPES = (
    InstrumentType.LETTER_OF_CREDIT,
    InstrumentType.CERTIFICATE_OF_DEPOSIT,
    InstrumentType.SURETY_BOND,
)
