"""Choices for companies and their relations."""

from django.db import models


class CompanyKind(models.TextChoices):
    CHIP_VENDOR = "chip_vendor", "Chip vendor"
    SYSTEM_INTEGRATOR = "system_integrator", "System integrator"
    CLOUD_PROVIDER = "cloud_provider", "Cloud provider"
    AI_LAB = "ai_lab", "AI lab"
    FOUNDRY = "foundry", "Foundry"
    INVESTOR = "investor", "Investor"
    MEDIA = "media", "Media"
    OTHER = "other", "Other"


class RelationKind(models.TextChoices):
    """How the subject company stands to the object company ("AMD acquired ZT Systems")."""

    ACQUIRED = "acquired", "acquired"
    INVESTED_IN = "invested_in", "invested in"
    CUSTOMER_OF = "customer_of", "customer of"
    SUPPLIER_OF = "supplier_of", "supplier of"
    PARTNERS_WITH = "partners_with", "partners with"
    COMPETES_WITH = "competes_with", "competes with"
