"""Jobs in the API: a long import or export answers 202 with a job to poll here."""

import uuid

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from citkit.core import jobs
from citkit.core.api import ProgramScopedViewSet
from citkit.core.models import Job


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "label",
            "status",
            "progress",
            "percent",
            "result",
            "error",
            "filename",
            "download_url",
            "page_url",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, obj) -> dict:
        return jobs.progress_of(obj)

    def get_percent(self, obj) -> int | None:
        return jobs.percent(jobs.progress_of(obj))

    def get_download_url(self, obj) -> str | None:
        if obj.status != Job.Status.SUCCEEDED or not obj.file:
            return None
        return reverse("api-job-download", args=[obj.program.slug, obj.pk])

    def get_page_url(self, obj) -> str:
        return reverse("job-detail", args=[obj.program.slug, obj.pk])


@extend_schema(
    description="Your own imports and exports in this program, newest first: poll one "
    "until `status` is `succeeded` or `failed`; an export's file is at `download_url`."
)
class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProgramScopedViewSet):
    serializer_class = JobSerializer
    sorts = {"newest": ["-created_at", "-id"]}
    default_sort = "newest"
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        return Job.objects.visible_to(self.request.user, self.program).select_related("program")

    def get_object(self):
        try:
            job_id = uuid.UUID(str(self.kwargs["pk"]))
        except ValueError:
            raise Http404("No such job.") from None
        found = self.get_queryset().filter(pk=job_id).first()
        if found is None:
            raise Http404("No such job.")
        return found

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        job = self.get_object()
        return jobs.file_response(job)
