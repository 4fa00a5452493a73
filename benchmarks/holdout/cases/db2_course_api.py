from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from academy.models import Course, Enrollment, Lesson


class LessonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ["id", "title", "minutes"]


class CourseListSerializer(serializers.ModelSerializer):
    teacher = serializers.SerializerMethodField()
    seats_taken = serializers.SerializerMethodField()
    lesson_titles = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = ["id", "title", "teacher", "seats_taken", "lesson_titles"]

    def get_teacher(self, course):
        return course.teacher.display_name  # expect: L2

    def get_seats_taken(self, course):
        return course.enrollments.filter(status="active").count()  # expect: L2

    def get_lesson_titles(self, course):
        return [lesson.title for lesson in course.lessons.all()]  # expect: L2


class CourseDetailSerializer(serializers.ModelSerializer):
    lessons = LessonSerializer(many=True, read_only=True)
    seats_taken = serializers.IntegerField(source="active_count", read_only=True)
    teacher_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = ["id", "title", "lessons", "seats_taken", "teacher_id"]


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Course.objects.filter(published=True)

    def get_serializer_class(self):
        if self.action == "list":
            return CourseListSerializer
        return CourseDetailSerializer

    @action(detail=True, methods=["post"])
    def enroll_many(self, request, pk=None):
        course = self.get_object()
        created = []
        for student_id in request.data.get("students", []):
            enrollment, was_new = Enrollment.objects.get_or_create(  # expect: L2
                course=course, student_id=student_id
            )
            if was_new:
                created.append(enrollment.pk)
        return Response({"created": created})

    @action(detail=True, methods=["post"])
    def enroll_bulk(self, request, pk=None):
        course = self.get_object()
        wanted = set(request.data.get("students", []))
        existing = set(course.enrollments.values_list("student_id", flat=True))  # expect-none
        fresh = [Enrollment(course=course, student_id=s) for s in wanted - existing]  # expect-none
        Enrollment.objects.bulk_create(fresh)
        return Response({"created": len(fresh)})
