# Textos de la interfaz del tema predeterminado de hearth, en español.
# Un proyecto puede cambiar cualquiera en su propio locales/es.ftl.

language-name = Español
enter-site = Entrar al sitio en español
skip-to-content = Saltar al contenido
home = Inicio
language-nav-label = Idioma
footer-nav-label = Más páginas
translation-missing = Aún no está en { $language }
only-in = solo en { $language }
module-not-translated = Aún no está en { $language }. Este enlace abre la versión en { $source }.

crisis-heading = ¿Necesita ayuda ahora?
crisis-box-title = Si usted o su hijo o hija no están a salvo
crisis-box-text = Esta sesión habla de temas difíciles. Si le preocupa la seguridad de alguien, pida ayuda ahora. No tiene que esperar.
crisis-box-emergency = En una emergencia, llame al 911.

minutes = { $n ->
    [one] 1 minuto
   *[other] { $n } minutos
}
session-number = Sesión { $n }
week-number = Semana { $n }
sessions-count = { $n ->
    [one] 1 sesión
   *[other] { $n } sesiones
}

objectives-heading = En esta sesión, usted va a
handouts-heading = Hojas para llevar
module-tools-label = Páginas relacionadas
print-packet = Imprimir esta sesión con sus hojas
facilitator-guide = Guía para facilitadores
participant-page = Página para participantes
facilitator-binder = Carpeta de facilitación (todas las sesiones)
sessions-nav-label = Otras sesiones
previous-session = Anterior:
next-session = Siguiente:
back-to-session = Volver a «{ $title }»

for-facilitators = Para facilitadores
facilitator-guide-title = Guía para facilitadores: { $title }
agenda-heading = Agenda
agenda-start = Inicio
agenda-activity = Actividad
agenda-minutes = Minutos
agenda-total = Total
materials-heading = Materiales
preparation-heading = Antes de la sesión
session-plan-heading = Plan de la sesión
participant-text-heading = Lo que leen los participantes, con notas
session-plan-continued-heading = Plan de la sesión (continuación)
guide-missing = Las notas para facilitadores de esta sesión aún no están en { $language }.
safety-reminder-title = Recordatorio de seguridad:
safety-reminder-text = Esta sesión toca temas como { $topics }. Tenga a mano las líneas de crisis, recuérdeselas al grupo y conozca el plan de seguridad de su organización antes de empezar.

topic-suicide = el suicidio
topic-self-harm = las autolesiones
topic-grief = el duelo
topic-abuse = el abuso
topic-substance-use = el uso de sustancias
topic-eating-disorders = los trastornos de la alimentación

sessions-heading = Sesiones
programs-heading = Programas
program = Programa
program-binder = Imprimir la carpeta de facilitación de este programa
print-heading = Para imprimir
all-handouts = Todas las hojas
all-handouts-title = Todas las hojas
binder-title = Carpeta de facilitación
program-binder-title = Carpeta de facilitación: { $title }
session-packet = Paquete de la sesión
pdf-download = Descargar en PDF
print-hint = Esta página está hecha para imprimir. Use el comando Imprimir de su navegador; cada hoja empieza en una página nueva.
contents-heading = Contenido

block-facilitator = Nota para facilitadores
block-say = Diga
block-adapt = Adaptar
block-activity = Actividad
block-discussion = Conversemos
block-practice = Para practicar esta semana
block-tip = Consejo
block-note = Nota
block-warning = Cuidado
block-lines = Sus notas
format-in-person = En persona
format-virtual = Grupos en línea
write-here = Escriba aquí su respuesta

# Después de un enlace a una sesión que el programa de esta organización no incluye.
not-in-program = (no forma parte de este programa)
# Un enlace que abre un mensaje de texto a una línea de crisis.
sms = Envíe un texto al { $number }
sms-with-body = Envíe { $body } por texto al { $number }

handout-worksheet = Hoja de trabajo
handout-tip-sheet = Hoja de consejos
handout-reflection = Reflexión
handout-reference = Para consultar

not-found = No encontramos la página
not-found-text = No pudimos encontrar esa página. Es posible que se haya movido.
go-home = Ir a la página de inicio

# El buscador del encabezado de la página.
search-label = Buscar
search-placeholder = Busque en las sesiones
search-results = { $count ->
    [one] 1 resultado
   *[other] { $count } resultados
}
search-none = No hay resultados.
search-see-sessions = Vea todas las sesiones
search-handout = Hoja
search-loading = Cargando la búsqueda…
bundle-start-file = EMPIECE-AQUI-Espanol.html
bundle-start-link = Abrir { $site }
bundle-readme-file = LEAME-Espanol.txt
bundle-readme = { $site }

    Esta carpeta es un sitio web completo que funciona sin internet.
    Para abrirlo, haga doble clic en el archivo { $start }.
    Se abre en su navegador. No se envía nada a ningún lado.

    Puede copiar esta carpeta a una memoria USB o a una computadora y abrirla allí de la misma manera.
